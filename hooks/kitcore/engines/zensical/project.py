"""The folder Zensical builds from: one centre's pages and files as Markdown and assets, the docs/ pages, the config."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ... import elsewhere, questionnaire, search
from ...inputs import ROOT
from .. import CentreJob
from ..material import dialect
from . import docpages, pagehtml, settings, steps

CONFIG_FILE = "mkdocs.yml"  # Zensical reads MkDocs' format; the file is generated, never edited
DOCS = "docs"
SITE = "site"
# Material's templates overridden by the project: Zensical's are Material's, so the same overrides apply (they use
# no Python string method, which MiniJinja lacks).
THEME = ROOT / "overrides"
DEFAULT_REPO_URL = "https://github.com/centres-de-ressources/centres"


def _place(source: Path, target: Path) -> None:
    """`source` at `target`: a hard link when the filesystem allows (downloads can be large), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def edit_url(repo_url: str, edit_uri: str | None, source: str) -> str:
    """The address where a contributor edits `source` (relative to the kits tree), beside docs/ in the repository."""
    # edit_uri ends with the docs folder (edit/main/docs/): kits/ sits beside it at the repository's root.
    edit = (edit_uri or "edit/main/").strip("/")
    if edit.endswith("/" + DOCS):
        edit = edit[: -len(DOCS) - 1]
    return f"{repo_url.rstrip('/')}/{edit}/kits/{source}"


def write_project(job: CentreJob, folder: Path, site_url: str | None = None) -> Path:
    """Write the Zensical project of `job`'s centre into `folder` (docs/, the rules, mkdocs.yml); returns the config."""
    centre, corpus = job.centre, job.corpus
    docs = folder / DOCS
    base = settings.read_mkdocs(ROOT / CONFIG_FILE)
    repo_url = os.environ.get("REPO_URL") or base.get("repo_url") or DEFAULT_REPO_URL
    base["repo_url"] = repo_url
    as_written = docpages.copy_docs(ROOT / DOCS, docs, corpus, repo_url)
    # Pages about the other centres, for the zip (kitcore.elsewhere); outside the navigation, as with MkDocs.
    local = elsewhere.local_pages(corpus, centre.audience, centre.kits, site_url, job.drafts)
    for page in [*centre.pages, *local]:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dialect.markdown(page), encoding="utf-8")  # Zensical reads Material's dialect
    taken = {p.path for p in [*centre.pages, *local]}
    for asset in centre.assets:
        if asset.path in taken:  # a kit file never takes a page's place (kitcore.reserved refuses it too)
            continue
        target = docs / asset.path
        if asset.content is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
        else:
            _place(asset.source, target)
    for path, source in search.asset_paths() + questionnaire.asset_paths():
        _place(source, docs / path)
    edit_urls = {p.path: edit_url(repo_url, base.get("edit_uri"), p.source) for p in centre.pages if p.source}
    order = steps.order(centre, list(base.get("nav") or []), docpages.titles(ROOT / DOCS))
    rules = pagehtml.Rules(centre.audience.id, site_url, frozenset(as_written),
                           frozenset(p.path for p in centre.pages if p.kit), list(corpus.glossary), edit_urls,
                           steps.steps_of(order))
    rules_path = pagehtml.write_rules(rules, folder)
    config = settings.centre_config(base, centre, site_url, rules_path, THEME)
    path = folder / CONFIG_FILE
    # JSON is YAML: no quoting surprise whatever a title holds.
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
