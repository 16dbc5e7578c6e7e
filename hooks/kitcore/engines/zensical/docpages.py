"""The project's own pages (docs/) for an engine without mkdocs-macros: their figures and repository address filled in."""
from __future__ import annotations

from pathlib import Path

import yaml
from jinja2.sandbox import SandboxedEnvironment

from ...kits import Corpus
from ...markup import literal_markdown

MACROS_FLAG = "render_macros: true"  # the front matter line by which a docs/ page asks for its template to run


def _front_matter(text: str) -> tuple[str, str]:
    """(front matter with its fences, body) of a Markdown page; no front matter gives ("", text)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[: end + 5], text[end + 5:]
    return "", text


def renders_macros(text: str) -> bool:
    """Whether the page's front matter asks for its template to run (as mkdocs-macros reads it)."""
    head, _ = _front_matter(text)
    return MACROS_FLAG in head.splitlines()


def render(text: str, corpus: Corpus, repo_url: str) -> str:
    """A docs/ page with its template run: `chiffre()`, `source()`, `chiffres` and `config.repo_url`, as in MkDocs."""
    head, body = _front_matter(text)
    # Sandboxed: docs/ is trusted, but figures come from chiffres.yml and are inserted as literal text only.
    env = SandboxedEnvironment(autoescape=False, keep_trailing_newline=True)
    figures = {k: {f: literal_markdown(str(x)) for f, x in vars(v).items()} for k, v in corpus.figures.items()}
    return head + env.from_string(body).render(
        chiffre=lambda ident: literal_markdown(corpus.figures[ident].valeur),
        source=lambda ident: literal_markdown(corpus.figures[ident].source),
        chiffres=figures, config={"repo_url": repo_url})


def titles(docs: Path) -> dict[str, str]:
    """Each docs/ page's title as MkDocs takes it when the nav gives none: its front matter's, else its first
    level-one heading."""
    out = {}
    for path in sorted(docs.rglob("*.md")):
        head, body = _front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(head.strip().strip("-")) if head else None
        title = meta.get("title") if isinstance(meta, dict) else None
        heading = next((line[2:].strip() for line in body.splitlines() if line.startswith("# ")), None)
        if title or heading:
            out[path.relative_to(docs).as_posix()] = str(title or heading)
    return out


def copy_docs(docs: Path, target: Path, corpus: Corpus, repo_url: str) -> list[str]:
    """Copy docs/ into `target`, pages rendered; returns the pages shown as written (no registry text in them)."""
    as_written = []
    for path in sorted(docs.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(docs).as_posix()
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".md":
            out.write_bytes(path.read_bytes())
            continue
        text = path.read_text(encoding="utf-8")
        if renders_macros(text):
            text = render(text, corpus, repo_url)
        else:
            as_written.append(rel)
        out.write_text(text, encoding="utf-8")
    return as_written
