"""The Zensical configuration of one centre, derived from mkdocs.yml so that theme, extensions and assets are declared once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ... import colours
from ...pages import Centre
from ..material import dialect
from ..material import theme as material

# mkdocs.yml keys that Zensical reads as MkDocs does and that every centre shares.
SHARED_KEYS = ("use_directory_urls", "repo_url", "edit_uri", "markdown_extensions", "extra_css", "extra_javascript",
               "not_in_nav")
# Zensical ships Material's emoji functions under its own name (no mkdocs-material needed at build time).
_EMOJI = {"material.extensions.emoji.": "zensical.extensions.emoji."}
COPYRIGHT = "Contenus sous licence libre (CC BY-SA 4.0 sauf mention contraire) — générés avec Zensical"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's loader: `!ENV [NAME, default]` gives its default, `!!python/name:x` the dotted name as text."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    # The centre's own values (site_dir, repo_url) are set by centre_config; an unset variable keeps its default.
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    return values[-1] if len(values) > 1 else None


def _python_name(loader: _Loader, suffix: str, node: yaml.Node) -> str:
    for old, new in _EMOJI.items():
        if suffix.startswith(old):
            return new + suffix[len(old):]
    return suffix


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def read_mkdocs(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as plain data (no MkDocs import)."""
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)  # noqa: S506 - a loader that builds no object


def centre_config(base: dict[str, Any], centre: Centre, site_url: str | None, rules: Path,
                  theme_dir: Path) -> dict[str, Any]:
    """Zensical's configuration for `centre`: the shared settings of `base` (mkdocs.yml), the centre's own, and the
    page HTML extension reading `rules` (pagehtml), the theme overrides of `theme_dir`."""
    audience = centre.audience
    config = {key: base[key] for key in SHARED_KEYS if key in base}
    theme = base.get("theme", {})
    # Zensical's templates escape what they print: titles go in as written, not pre-escaped for Material.
    config.update(
        site_name=audience.titre_centre,
        site_description=" ".join(audience.description.split()),
        docs_dir="docs",
        site_dir="site",
        copyright=COPYRIGHT,
        # The centre's nav first, then the shared pages of docs/ (« À propos »…), as the MkDocs hook does.
        nav=dialect.nav(centre) + list(base.get("nav") or []),
        theme={
            "language": theme.get("language", "fr"),
            "custom_dir": str(theme_dir),
            "font": False,  # no Google Fonts: sites work with no network
            "variant": "classic",  # Material's look (the « modern » variant is Zensical's own)
            # No palette: Zensical makes a single palette a list, for which the header renders a scheme switch
            # (hidden, yet focusable: axe's aria-hidden-focus). The audience's colours come from couleurs_css.
            "palette": [],
            "icon": theme.get("icon", {}),
            "features": list(theme.get("features", [])),
        },
        extra={"centre": {"id": audience.id, "nom": audience.nom, "kits": len(centre.kits)},
               "couleurs_css": material.css_variables(colours.centre_colours(audience.couleur))},
        validation={"invalid_links": True, "invalid_link_anchors": True},
        # The project's French search (kitcore.search, overrides/partials/recherche.html) replaces Zensical's,
        # whose index would only weigh down every page's zip.
        plugins={"search": {"enabled": False}},
    )
    if site_url:
        config["site_url"] = f"{site_url.rstrip('/')}/{audience.id}/"
    config["markdown_extensions"] = list(config.get("markdown_extensions", [])) + [
        {"kitcore.engines.zensical.pagehtml": {"rules": str(rules)}}]
    return config
