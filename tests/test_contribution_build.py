"""Built pages of contributed kits: drafts only in preview, « modifier directement cette page sur GitHub » links, authors and date."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from kitcore import checks, formatdoc, parts, scaffold
from kitcore.kits import KIT_FILE

pytestmark = pytest.mark.slow
REPO = "https://example.org/depot/centres"
PUBLISHED = "partager-un-diagnostic"
DRAFT = "brouillon-en-cours"
PARTS = tuple(p.id for p in parts.PARTS)


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two kits made by `make new`: one finished and published, one left as a draft."""
    root = tmp_path_factory.mktemp("contribution") / "kits"
    root.mkdir()
    for name in ("publics.yml", "enjeux.yml", "chiffres.yml"):
        (root / name).write_text((ROOT / "kits" / name).read_text(encoding="utf-8"), encoding="utf-8")
    done = scaffold.create_kit(root, scaffold.KitRequest("Partager un diagnostic", ["associations", "territoires"],
                                                         ["evaluation"], ["Jeanne Martin", "Observatoire"]))
    meta = (done / KIT_FILE).read_text(encoding="utf-8")
    meta = re.sub(r"(?m)^mise_a_jour: .*$", "mise_a_jour: 2026-09-01", meta)
    meta = meta.replace("statut: brouillon", "statut: publie").replace(checks.GUIDANCE_MARK, "Un résumé")
    (done / KIT_FILE).write_text(meta, encoding="utf-8")
    for part in PARTS:
        (done / f"{part}.md").write_text(f"## Section de {part}\n\nTexte rédigé.\n", encoding="utf-8")
    scaffold.create_kit(root, scaffold.KitRequest("Brouillon en cours", ["associations"], ["numerique"], ["Moi"]))
    _, report = checks.check_kits(root)
    assert report.errors == []
    return root


def build(kits: Path, site: Path, *extra: str) -> Path:
    """Build the associations centre as `make build` (or the preview, with --brouillons) does."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", REPO_URL=REPO)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--kits", str(kits), "--site", str(site),
         "--centre", "associations", "--sans-documents", *extra],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def published(kits: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(kits, tmp_path_factory.mktemp("publie") / "site")


@pytest.fixture(scope="module")
def preview(kits: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(kits, tmp_path_factory.mktemp("apercu") / "site", "--brouillons")


def _all_text(site: Path) -> str:
    # Everything a visitor can fetch (hidden files are the build's own bookkeeping, not served pages).
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in {".html", ".js", ".json", ".xml"} and not p.name.startswith("."))


def test_build_never_contains_drafts(published: Path) -> None:
    centre = published / "associations"
    assert (centre / "kits" / PUBLISHED / "index.html").is_file()
    assert not (centre / "kits" / DRAFT).exists()
    everything = _all_text(published)
    assert PUBLISHED in everything
    assert DRAFT not in everything and "Brouillon en cours" not in everything
    assert "(brouillon)" not in everything


def test_preview_shows_drafts_with_a_banner(preview: Path) -> None:
    kit = preview / "associations" / "kits" / DRAFT
    for page in ["index", *PARTS]:
        html = (kit / f"{page}.html").read_text(encoding="utf-8")
        banner = re.search(r'<div class="admonition warning">\s*<p class="admonition-title">Brouillon</p>', html)
        assert banner, f"pas de bandeau « Brouillon » sur {page}.html"
    home = (preview / "associations" / "index.html").read_text(encoding="utf-8")
    assert "Brouillon en cours" in home and "(brouillon)" in home
    finished = (preview / "associations" / "kits" / PUBLISHED / "methodologie.html").read_text(encoding="utf-8")
    assert "admonition-title\">Brouillon" not in finished


def _edit_link(html: str) -> re.Match | None:
    return re.search(r'<a href="([^"]+)" rel="edit">modifier directement cette page sur GitHub</a>', html)


@pytest.mark.parametrize("page, source", [("index", KIT_FILE)] + [(p, f"{p}.md") for p in PARTS])
def test_each_kit_page_links_to_its_source(published: Path, page: str, source: str) -> None:
    html = (published / "associations" / "kits" / PUBLISHED / f"{page}.html").read_text(encoding="utf-8")
    link = _edit_link(html)
    assert link and link.group(1) == f"{REPO}/edit/main/kits/{PUBLISHED}/{source}"


def test_shared_pages_link_to_their_own_files(published: Path) -> None:
    centre = published / "associations"
    assert _edit_link((centre / "contribuer.html").read_text(encoding="utf-8")).group(1) == \
        f"{REPO}/edit/main/docs/contribuer.md"
    assert _edit_link((centre / "index.html").read_text(encoding="utf-8")).group(1) == \
        f"{REPO}/edit/main/kits/publics.yml"
    assert f'href="{REPO}/blob/main/CONTRIBUTING.md"' in (centre / "contribuer.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PARTS)
def test_part_pages_show_authors_and_date_under_the_title(published: Path, page: str) -> None:
    html = (published / "associations" / "kits" / PUBLISHED / f"{page}.html").read_text(encoding="utf-8")
    title = html.index("<h1")
    byline = html.index('<p class="kit-byline"><small>Rédaction&nbsp;: Jeanne Martin, Observatoire · mis à jour le '
                        "1er septembre 2026</small></p>")
    first_section = html.index("<h2", title)
    assert title < byline < first_section


def test_presentation_page_keeps_its_table(published: Path) -> None:
    html = (published / "associations" / "kits" / PUBLISHED / "index.html").read_text(encoding="utf-8")
    assert "Jeanne Martin, Observatoire" in html and "1er septembre 2026" in html


def test_built_site_publishes_the_schema(published: Path, preview: Path, kits: Path) -> None:
    # One schema with or without drafts: it names the registries' records, never the kits (a new kit
    # would make it stale), so the preview and the published site carry the same file.
    text = (published / "schemas" / "kit.schema.json").read_text(encoding="utf-8")
    assert text == formatdoc.schema_text(kits) == (preview / "schemas" / "kit.schema.json").read_text(encoding="utf-8")
    assert f'"{PUBLISHED}"' not in text and f'"{DRAFT}"' not in text and '"associations"' in text
