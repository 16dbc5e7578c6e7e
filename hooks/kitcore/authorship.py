"""Authorship: who wrote a kit is not who the kit draws on; an author that the corpus cites as a source is flagged."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .kits import KIT_FILE, Corpus, Kit
from .problems import Report

# Articles and elisions that do not make two names different (« Le RAMEAU » and « RAMEAU »).
_ARTICLES = re.compile(r"^(?:l'|le |la |les )")


def normalise(name: str) -> str:
    """A name compared without case, accents, typographic apostrophes, extra spaces or leading article."""
    plain = unicodedata.normalize("NFKD", name.replace("’", "'").casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = " ".join(re.sub(r"[^\w']+", " ", plain).split())
    return _ARTICLES.sub("", plain)


@dataclass(frozen=True)
class CitedBody:
    """An organisation or study the corpus cites as a source, and where (to name it in the message)."""

    text: str
    where: str


def cited_bodies(corpus: Corpus) -> list[CitedBody]:
    """Every source text of the corpus: the figures' sources and the authors of each kit's `sources`."""
    bodies = [CitedBody(f.source, f"la source du chiffre « {f.id} » dans chiffres.yml") for f in corpus.figures.values()]
    for kit in corpus.kits:
        for src in kit.sources:
            bodies.append(CitedBody(src.auteur, f"l'auteur d'une source du kit « {kit.id} »"))
    return bodies


def cited_as_source(author: str, bodies: list[CitedBody]) -> CitedBody | None:
    """The first cited body whose text names `author` as whole words, if any."""
    name = normalise(author)
    if len(name) < 3:
        return None
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    for body in bodies:
        if pattern.search(normalise(body.text)):
            return body
    return None


def check_authors(kit: Kit, bodies: list[CitedBody], report: Report) -> None:
    """Warn when `auteurs` names a body the corpus cites as a source: it informed the kit, it did not write it."""
    line = kit.lines.line if kit.lines else (lambda *a: None)
    for i, author in enumerate(kit.auteurs):
        body = cited_as_source(author, bodies)
        if body is None:
            continue
        report.warn(kit.folder / KIT_FILE,
                    f"« auteurs » nomme « {author} », qui est cité comme source ({body.where}) : un organisme dont le "
                    "kit s'inspire n'en est pas l'auteur. Indiquez qui a rédigé le kit (vous-même, ou « Équipe "
                    "éditoriale des centres de ressources ») et citez l'étude dans « sources ».", line("auteurs", i))
