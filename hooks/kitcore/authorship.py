"""Authorship: who wrote a kit is not who the kit draws on; an author that the corpus cites as a source is flagged."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .kits import KIT_FILE, Corpus, Kit
from .problems import Report

# Articles and elisions that do not make two names different (« Le RAMEAU » and « RAMEAU »).
_ARTICLES = re.compile(r"^(?:le |la |les )")


def normalise(name: str) -> str:
    """A name compared without case, accents, typographic apostrophes, extra spaces or leading article."""
    plain = unicodedata.normalize("NFKD", name.replace("’", "'").casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r"\b(?:l|d|qu|j|n|s|c)'", "", plain)  # elisions: « de l'Observatoire » holds « observatoire »
    plain = " ".join(re.sub(r"\W{1,64}", " ", plain).split())
    return _ARTICLES.sub("", plain)


@dataclass(frozen=True)
class CitedBody:
    """An organisation or study the corpus cites as a source, and where (to name it in the message)."""

    text: str
    where: str


# Names longer than this (in words) are not looked up: an organisation's name is short.
MAX_NAME_WORDS = 8


def cited_bodies(corpus: Corpus) -> list[CitedBody]:
    """Every source text of the corpus: the figures' sources and the authors of each kit's `sources`."""
    bodies = [CitedBody(f.source, f"la source du chiffre « {f.id} » dans chiffres.yml") for f in corpus.figures.values()]
    for kit in corpus.kits:
        for src in kit.sources:
            bodies.append(CitedBody(src.auteur, f"l'auteur d'une source du kit « {kit.id} »"))
    return bodies


def name_index(bodies: list[CitedBody]) -> dict[tuple[str, ...], CitedBody]:
    """Every run of up to MAX_NAME_WORDS consecutive words of the cited texts, with the first text holding it.

    Built once per check: looking an author up is then one dictionary access, whatever the size of the corpus.
    """
    index: dict[tuple[str, ...], CitedBody] = {}
    for body in bodies:
        words = normalise(body.text).split()
        for start in range(len(words)):
            for end in range(start + 1, min(start + MAX_NAME_WORDS, len(words)) + 1):
                index.setdefault(tuple(words[start:end]), body)
    return index


def cited_as_source(author: str, index: dict[tuple[str, ...], CitedBody]) -> CitedBody | None:
    """The cited text that names `author` as whole words, if any."""
    words = tuple(normalise(author).split())
    if not words or len(" ".join(words)) < 3 or len(words) > MAX_NAME_WORDS:
        return None
    return index.get(words)


def check_authors(kit: Kit, index: dict[tuple[str, ...], CitedBody], report: Report) -> None:
    """Warn when `auteurs` names a body the corpus cites as a source: it informed the kit, it did not write it."""
    line = kit.lines.line if kit.lines else (lambda *a: None)
    for i, author in enumerate(kit.auteurs):
        body = cited_as_source(author, index)
        if body is None:
            continue
        report.warn(kit.folder / KIT_FILE,
                    f"« auteurs » nomme « {author} », qui est cité comme source ({body.where}) : un organisme dont le "
                    "kit s'inspire n'en est pas l'auteur. Indiquez qui a rédigé le kit (vous-même, ou « Équipe "
                    "éditoriale des centres de ressources ») et citez l'étude dans « sources ».", line("auteurs", i))
