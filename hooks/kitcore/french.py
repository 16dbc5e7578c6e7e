"""French text normalisation for search: folding, tokens, stop words and a light stemmer.

The same rules are implemented in web/french.js, which the browser runs on the reader's query;
tests/test_french.py proves both give identical output. Any change here must be mirrored there.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Accent-free, lowercase: stop words are compared after folding. Elided forms (l', d', qu'…) are here too,
# because apostrophes split words ("l'hybridation" → "l", "hybridation").
STOPWORDS: frozenset[str] = frozenset("""
a afin ai aie aient ainsi alors as au aucun aucune auquel aupres aussi autre autres aux auxquels avec avoir avait
avaient avez avons ayant c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme comment
d dans de des desquels deux dont du duquel elle elles en encore entre es est et etaient etait etant etc ete etes
etre eu eux il ils j je jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lorsqu lui m ma mais me
meme memes mes moi mon n ne ni nos notre nous on ont or ou par parce pas peu peut plus pour pourquoi puis puisqu
qu quand que quel quelle quelles quels qui quoi quoiqu s sa sans se selon ses si soi soit son sont sous suis sur
t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers via voici voila vos votre vous y
""".split())

# Suffixes removed by the stemmer, tried longest first; at most one is removed, and only when at least
# MIN_STEM letters remain. Chosen so that the forms readers type meet: evaluation / evaluer / evaluations,
# hybridation / hybride, benevolat / benevole, partenariat / partenaire, numerique / numerisation.
SUFFIXES: tuple[str, ...] = (
    "issement", "ification", "abilite", "isation", "ariale", "oriale", "ifier", "ateur", "atrice", "ation", "ariat",
    "arial", "orial", "atif", "ative", "ement", "aire", "oire", "iser", "ance", "ence", "ique", "isme", "iste", "able",
    "ible", "euse", "iere", "elle", "eant", "aient", "eront", "ait", "ant", "ante", "era", "eur", "ier", "ion", "ite",
    "ive", "ale", "at", "al", "el", "if", "ee", "er", "ez", "ie", "ir", "e",
)
MIN_STEM = 3
_BY_LENGTH: tuple[str, ...] = tuple(sorted(SUFFIXES, key=lambda s: (-len(s), s)))
_DOUBLED = ("nn", "ll", "tt", "mm", "ss", "pp")
_SPLIT = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lowercase, ligatures spelt out and accents removed: « Évaluation » → « evaluation »."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def tokens(text: str) -> list[str]:
    """Folded words; anything but a letter or digit separates words, apostrophes and hyphens included."""
    return [t for t in _SPLIT.split(fold(text)) if t]


# A pure function of the word, called for every word of every page: a vocabulary is small, pages are many.
@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light French stemmer on a folded word: plural, then one suffix, then a doubled final consonant."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    if word.endswith("aux") and len(word) - 3 >= MIN_STEM:
        word = word[:-3] + "al"
    elif word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _BY_LENGTH:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    # Only when a stem longer than MIN_STEM remains: « donn » (données) must not become « don » (dons).
    if word[-2:] in _DOUBLED and len(word) - 1 > MIN_STEM:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The search terms of a text, in order: tokens minus stop words and one-letter words, stemmed."""
    return [stem(t) for t in tokens(text) if len(t) > 1 and t not in STOPWORDS]
