"""Self-diagnosis (« autodiagnostic ») of a kit: its declaration, its checks and its scoring, free of any engine.

A kit may hold `autodiagnostic.yml`: questions grouped by axis, answer scales reused across questions, optional
weights, a scoring rule (sum or mean, per axis and overall) and result bands with recommendations. The same
model feeds the page (form scored in the browser), the spreadsheet (formulas) and the search.

Scores are computed in integers so that Python, the browser and the spreadsheet agree to the last digit: an
axis's raw score is the sum of weight × points; a mean divides it by the sum of weights. Band bounds carry at
most two decimals and are kept in hundredths: a score s = raw / divisor lies in [de, a] when
de₁₀₀ × divisor ≤ 100 × raw ≤ a₁₀₀ × divisor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from . import parts, schema
from .problems import Report
from .sources import Located, SourceError, load_yaml

FILE = "autodiagnostic.yml"
RULES = ("somme", "moyenne")
# Bounds: a self-diagnosis is read in a few minutes, and every check below stays cheap whatever the file holds.
MAX_QUESTIONS = 60
MAX_AXES = 8
MAX_SCALES = 10
MIN_OPTIONS, MAX_OPTIONS = 2, 7
MAX_BANDS = 6
MAX_LINKS = 5
MAX_SOURCES = 10
MAX_POINTS = 100
MAX_WEIGHT = 10
MAX_SHORT_CHARS = 300  # titles, labels, questions
MAX_LONG_CHARS = 1500  # introduction, descriptions, recommendations


@dataclass(frozen=True)
class Option:
    """One answer of a scale: what the reader picks, and the points it is worth."""

    libelle: str
    points: int


@dataclass(frozen=True)
class Scale:
    """An answer scale, declared once and used by any number of questions."""

    id: str
    options: tuple[Option, ...]

    @property
    def low(self) -> int:
        """Fewest points an answer gives."""
        return min(o.points for o in self.options)

    @property
    def high(self) -> int:
        """Most points an answer gives."""
        return max(o.points for o in self.options)


@dataclass(frozen=True)
class Link:
    """A recommendation's link to a kit, or to one of its parts."""

    kit: str
    partie: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Band:
    """A result band: scores from `de` to `a` (inclusive, in hundredths), its title and recommendation."""

    de: int
    a: int
    titre: str
    recommandation: str
    liens: tuple[Link, ...] = ()

    def holds(self, raw: int, divisor: int) -> bool:
        """Whether the score raw / divisor lies in this band (exact integer comparison)."""
        return self.de * divisor <= 100 * raw <= self.a * divisor


@dataclass(frozen=True)
class Question:
    """One question: its text, its scale, its weight."""

    id: str
    texte: str
    echelle: Scale
    poids: int = 1
    aide: str | None = None


@dataclass(frozen=True)
class Axis:
    """A group of questions scored together, with its own bands."""

    id: str
    titre: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    description: str | None = None

    @property
    def weight(self) -> int:
        """Sum of the weights of the axis's questions (the divisor of a mean)."""
        return sum(q.poids for q in self.questions)


@dataclass(frozen=True)
class Diagnostic:
    """A kit's self-diagnosis, checked: every reference resolved, every reachable score in exactly one band."""

    kit: str
    titre: str
    introduction: str
    calcul: str
    scales: tuple[Scale, ...]
    axes: tuple[Axis, ...]
    bands: tuple[Band, ...]  # overall bands; empty when the diagnosis gives no overall score
    sources: tuple[str, ...]
    lines: Located | None = field(default=None, compare=False, repr=False)

    @property
    def questions(self) -> list[Question]:
        """Every question, axis after axis."""
        return [q for axis in self.axes for q in axis.questions]

    def divisor(self, questions: tuple[Question, ...] | list[Question]) -> int:
        """What a raw score is divided by: 1 for a sum, the sum of weights for a mean."""
        return sum(q.poids for q in questions) if self.calcul == "moyenne" else 1


@dataclass(frozen=True)
class Score:
    """One score: raw (sum of weight × points), its divisor, its band, and its bounds for a chart."""

    raw: int
    divisor: int
    low: int
    high: int
    band: Band | None

    @property
    def hundredths(self) -> int:
        """The score in hundredths, rounded half up: what every rendering shows."""
        return (200 * self.raw + self.divisor) // (2 * self.divisor)

    @property
    def maximum_hundredths(self) -> int:
        """The highest possible score in hundredths."""
        return (200 * self.high + self.divisor) // (2 * self.divisor)


@dataclass(frozen=True)
class Result:
    """The scores of a complete set of answers: per axis (by id) and overall (None without overall bands)."""

    axes: dict[str, Score]
    overall: Score | None


def french_number(hundredths: int) -> str:
    """Hundredths as a French decimal, trailing zeros dropped: 250 → « 2,5 », 1200 → « 12 »."""
    sign = "-" if hundredths < 0 else ""
    whole, cents = divmod(abs(hundredths), 100)
    if cents == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole},{cents:02d}".rstrip("0")


def reachable(questions: list[Question] | tuple[Question, ...]) -> int:
    """Every reachable raw score as a bit set (bit n set when a raw score of n can be obtained)."""
    # Integer points and weights keep the set small (at most 60 × 100 × 10 values): a bit set per question.
    bits = 1
    for q in questions:
        step = 0
        for option in q.echelle.options:
            step |= bits << (option.points * q.poids)
        bits = step
    return bits


def _values(bits: int) -> list[int]:
    out, n = [], 0
    while bits:
        if bits & 1:
            out.append(n)
        bits >>= 1
        n += 1
    return out


def band_for(bands: tuple[Band, ...], raw: int, divisor: int) -> Band | None:
    """The band holding raw / divisor (the checks guarantee exactly one for every reachable score)."""
    return next((b for b in bands if b.holds(raw, divisor)), None)


def score_questions(d: Diagnostic, questions: tuple[Question, ...] | list[Question], bands: tuple[Band, ...],
                    answers: dict[str, int]) -> Score:
    """Score of some questions given answers (question id → option index)."""
    raw = sum(q.poids * q.echelle.options[answers[q.id]].points for q in questions)
    divisor = d.divisor(questions)
    low = sum(q.poids * q.echelle.low for q in questions)
    high = sum(q.poids * q.echelle.high for q in questions)
    return Score(raw, divisor, low, high, band_for(bands, raw, divisor))


def score(d: Diagnostic, answers: dict[str, int]) -> Result:
    """Scores of a complete set of answers (question id → index of the chosen option in its scale)."""
    missing = [q.id for q in d.questions if q.id not in answers]
    if missing:
        raise KeyError(f"unanswered questions: {', '.join(missing)}")
    axes = {a.id: score_questions(d, a.questions, a.bands, answers) for a in d.axes}
    overall = score_questions(d, d.questions, d.bands, answers) if d.bands else None
    return Result(axes, overall)


# ----- loading and checks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Key:
    """One key of a mapping of autodiagnostic.yml: its kind, whether it is required, its French documentation."""

    name: str
    kind: str  # texte, liste, choix, nombre, or one of the structures below (echelles, axes, questions…)
    required: bool
    description: str
    default: Any = None
    choices: tuple[str, ...] = ()
    example: Any = None


def _simple(f: Key, value: Any, add: "Add", at: tuple) -> Any:
    """A text, a list of texts or a choice, normalised; None after reporting in French."""
    if f.kind == "choix":
        if not isinstance(value, str) or value not in f.choices:
            shown = value if isinstance(value, str) else schema.describe(value)
            add(f"« {shown} » n'est pas une valeur possible pour « {f.name} ». Valeurs possibles : "
                f"{', '.join(f.choices)}.{schema.did_you_mean(str(shown), f.choices)}", at)
            return None
        return value
    items = value if f.kind == "liste" else [value]
    if f.kind == "liste" and not isinstance(value, list):
        add(f"« {f.name} » doit être une liste (une valeur par ligne, précédée de « - »), pas "
            f"{schema.describe(value)}.", at)
        return None
    out = []
    for i, item in enumerate(items):
        where = at + (i,) if f.kind == "liste" else at
        item = str(item) if isinstance(item, (int, float)) and not isinstance(item, bool) else item
        if not isinstance(item, str):
            add(f"« {f.name} » doit être un texte, pas {schema.describe(item)}.", where)
            return None
        if not item.strip():
            add(f"« {f.name} » est vide ; écrivez-y un texte.", where)
            return None
        out.append(item.strip())
    if f.kind == "liste" and not out:
        add(f"« {f.name} » est une liste vide ; indiquez au moins une valeur.", at)
        return None
    return out if f.kind == "liste" else out[0]


TOP_FIELDS: tuple[Key, ...] = (
    Key("titre", "texte", True, "Le titre de l'autodiagnostic, affiché en tête du questionnaire.",
                 example="Où en est votre transformation numérique ?"),
    Key("introduction", "texte", True, "Un paragraphe qui dit à qui s'adresse le questionnaire, combien de "
                 "temps il prend et ce que le lecteur en retire.", example="Vingt et une questions, dix minutes."),
    Key("calcul", "choix", False, "Comment les points se combinent, pour chaque axe comme pour le score "
                 "global : « somme » additionne poids × points, « moyenne » divise cette somme par celle des poids.",
                 default="somme", choices=RULES),
    Key("echelles", "echelles", True, "Les échelles de réponse, chacune sous un identifiant : une liste de "
                 "réponses `{libelle, points}`, de deux à sept, réutilisable par plusieurs questions.",
                 example={"accord": [{"libelle": "Pas du tout", "points": 1}, {"libelle": "Tout à fait", "points": 4}]}),
    Key("axes", "axes", True, "Les axes du questionnaire (un à huit), chacun avec ses questions et ses "
                 "tranches de résultats."),
    Key("resultats", "tranches", False, "Les tranches du score global, chacune avec sa recommandation. "
                 "Sans elles, seuls les scores par axe sont donnés.", default=()),
    Key("sources", "liste", True, "D'où viennent les questions et les repères (outil du kit, étude…).",
                 example=["Grille d'autodiagnostic de la boîte à outils de ce kit"]),
)
AXIS_FIELDS: tuple[Key, ...] = (
    Key("id", "texte", True, "Identifiant de l'axe : minuscules, chiffres et tirets."),
    Key("titre", "texte", True, "Le nom de l'axe, affiché comme légende du groupe de questions."),
    Key("description", "texte", False, "Une phrase sur ce que l'axe mesure."),
    Key("echelle", "texte", False, "L'échelle des questions de l'axe qui n'en indiquent pas."),
    Key("questions", "questions", True, "Les questions de l'axe."),
    Key("resultats", "tranches", True, "Les tranches du score de l'axe, qui doivent couvrir tous les "
                 "scores possibles sans se chevaucher."),
)
QUESTION_FIELDS: tuple[Key, ...] = (
    Key("id", "texte", True, "Identifiant de la question, unique dans l'autodiagnostic."),
    Key("texte", "texte", True, "La question ou l'affirmation, telle que le lecteur la lit."),
    Key("aide", "texte", False, "Un repère qui précise ce que recouvre une réponse positive."),
    Key("echelle", "texte", False, "L'identifiant de l'échelle de réponse (sinon celle de l'axe)."),
    Key("poids", "nombre", False, f"Le coefficient de la question, un entier de 1 à {MAX_WEIGHT}.", default=1),
)
OPTION_FIELDS: tuple[Key, ...] = (
    Key("libelle", "texte", True, "La réponse telle que le lecteur la lit."),
    Key("points", "nombre", True, f"Les points de cette réponse, un entier de 0 à {MAX_POINTS}."),
)
BAND_FIELDS: tuple[Key, ...] = (
    Key("de", "nombre", True, "Le score le plus bas de la tranche (inclus ; deux décimales au plus)."),
    Key("a", "nombre", True, "Le score le plus haut de la tranche (inclus ; deux décimales au plus)."),
    Key("titre", "texte", True, "Le nom du résultat, par exemple « En construction »."),
    Key("recommandation", "texte", True, "Ce que le lecteur peut faire ensuite, en deux ou trois phrases."),
    Key("liens", "liens", False, "Jusqu'à cinq liens `{kit, partie}` vers des kits (et l'une de leurs "
                 "parties) qui aident à avancer.", default=()),
)
LINK_FIELDS: tuple[Key, ...] = (
    Key("kit", "texte", True, "L'identifiant (nom de dossier) du kit."),
    Key("partie", "choix", False, "Une partie du kit ; sans elle, le lien mène à sa présentation.",
                 choices=tuple(p.id for p in parts.PARTS)),
)
SIMPLE_KINDS = {"texte", "liste", "choix"}

Add = Callable[[str, tuple], None]
Locate = Callable[..., "int | None"]


def _check_keys(fields: tuple[Key, ...], data: Any, add: Add, at: tuple, what: str) -> dict | None:
    """Unknown and missing keys of one mapping, then its simple values; None if it is not a mapping."""
    if not isinstance(data, dict):
        add(f"{what} doit contenir des paires « clé: valeur », pas {schema.describe(data)}.", at)
        return None
    names = [f.name for f in fields]
    for key in data:
        if key not in names:
            add(f"la clé « {key} » n'est pas connue ({what}).{schema.did_you_mean(str(key), names)} "
                f"Clés possibles : {', '.join(names)}.", at + (key,))
    out: dict[str, Any] = {}
    for f in fields:
        value = data.get(f.name)
        if value is None:
            if f.required:
                verb = "est vide" if f.name in data else "manque"
                add(f"la clé obligatoire « {f.name} » {verb} ({what}) ; "
                    f"{f.description[0].lower() + f.description[1:]}", at + (f.name,) if f.name in data else at)
            out[f.name] = None if f.required else f.default
        elif f.kind in SIMPLE_KINDS:
            out[f.name] = _simple(f, value, add, at + (f.name,))
            if isinstance(out[f.name], str):
                limit = MAX_LONG_CHARS if f.name in ("introduction", "description", "recommandation") else MAX_SHORT_CHARS
                if len(out[f.name]) > limit:
                    add(f"« {f.name} » est trop long ({len(out[f.name])} caractères, maximum {limit}) ; "
                        "raccourcissez-le.", at + (f.name,))
        else:
            out[f.name] = value
    return out


def _integer(value: Any, key: str, low: int, high: int, add: Add, at: tuple) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        add(f"« {key} » doit être un nombre entier de {low} à {high}, pas « {value} ».", at)
        return None
    if not low <= value <= high:
        add(f"« {key} » vaut {value} : il doit être compris entre {low} et {high}.", at)
        return None
    return value


def _hundredths(value: Any, key: str, add: Add, at: tuple) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        add(f"« {key} » doit être un nombre, pas {schema.describe(value)}.", at)
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        add(f"« {key} » doit être un nombre (par exemple 12 ou 2.5), pas « {value} ».", at)
        return None
    if not number.is_finite() or abs(number) > 100_000:
        add(f"« {key} » doit être un nombre entre -100000 et 100000, pas « {value} ».", at)
        return None
    cents = number * 100
    if cents != cents.to_integral_value():
        add(f"« {key} » a plus de deux décimales ({value}) ; arrondissez-le au centième.", at)
        return None
    return int(cents)


def _id(value: Any, add: Add, at: tuple, what: str, seen: set[str]) -> str | None:
    if not isinstance(value, str) or not schema.ID_PATTERN.match(value):
        add(f"l'identifiant « {value} » {what} n'est pas valide : minuscules sans accents, chiffres et tirets "
            "seulement.", at)
        return None
    if value in seen:
        add(f"l'identifiant « {value} » {what} est déjà utilisé plus haut ; chaque identifiant doit être unique.", at)
        return None
    seen.add(value)
    return value


def _items(value: Any, key: str, limit: int, add: Add, at: tuple, minimum: int = 1) -> list:
    if not isinstance(value, list):
        add(f"« {key} » doit être une liste (chaque élément précédé de « - »), pas {schema.describe(value)}.", at)
        return []
    if len(value) < minimum:
        add(f"« {key} » doit contenir au moins {minimum} élément{'s' if minimum > 1 else ''}.", at)
    if len(value) > limit:
        add(f"« {key} » contient {len(value)} éléments, au-delà de la limite de {limit} ; "
            "un autodiagnostic doit rester court.", at)
        return value[:limit]
    return value


def _scales(value: Any, add: Add) -> dict[str, Scale]:
    at: tuple = ("echelles",)
    if not isinstance(value, dict) or not value:
        add("« echelles » doit associer à chaque identifiant d'échelle sa liste de réponses "
            "(« - libelle: … / points: … »).", at)
        return {}
    if len(value) > MAX_SCALES:
        add(f"« echelles » déclare {len(value)} échelles, au-delà de la limite de {MAX_SCALES}.", at)
    out: dict[str, Scale] = {}
    for key, options in list(value.items())[:MAX_SCALES]:
        if _id(key, add, at + (key,), "d'échelle", set(out)) is None:
            continue
        items = _items(options, f"echelles.{key}", MAX_OPTIONS, add, at + (key,), MIN_OPTIONS)
        clean, labels = [], set()
        ok = isinstance(options, list) and MIN_OPTIONS <= len(options) <= MAX_OPTIONS
        for i, item in enumerate(items):
            here = at + (key, i)
            values = _check_keys(OPTION_FIELDS, item, add, here, f"réponse {i + 1} de l'échelle « {key} »")
            if values is None:
                ok = False
                continue
            points = None if values["points"] is None else _integer(values["points"], "points", 0, MAX_POINTS, add,
                                                                    here + ("points",))
            label = values["libelle"]
            if label is not None and label in labels:
                add(f"la réponse « {label} » apparaît deux fois dans l'échelle « {key} ».", here + ("libelle",))
                label = None
            if label is None or points is None:
                ok = False
                continue
            labels.add(label)
            clean.append(Option(label, points))
        # A broken scale is still declared: its questions are not reported again as citing an unknown scale.
        out[key] = Scale(key, tuple(clean)) if ok else None  # type: ignore[assignment]
    return out


def _bands(value: Any, key: str, add: Add, locate: Locate, at: tuple) -> list[tuple[Band, tuple]]:
    out = []
    for i, item in enumerate(_items(value, key, MAX_BANDS, add, at)):
        here = at + (i,)
        values = _check_keys(BAND_FIELDS, item, add, here, f"tranche {i + 1} de « {key} »")
        if values is None:
            continue
        low = None if values["de"] is None else _hundredths(values["de"], "de", add, here + ("de",))
        high = None if values["a"] is None else _hundredths(values["a"], "a", add, here + ("a",))
        links = []
        for j, link in enumerate(_items(values["liens"] or [], "liens", MAX_LINKS, add, here + ("liens",), 0)):
            where = here + ("liens", j)
            clean = _check_keys(LINK_FIELDS, link, add, where, f"lien {j + 1}")
            if clean is not None and clean["kit"] is not None:
                links.append(Link(clean["kit"], clean["partie"], locate(*where)))
        if None in (low, high, values["titre"], values["recommandation"]):
            continue
        assert low is not None and high is not None
        if low > high:
            add(f"la tranche « {values['titre']} » va de {french_number(low)} à {french_number(high)} : « de » doit "
                "être inférieur ou égal à « a ».", here)
            continue
        out.append((Band(low, high, values["titre"], values["recommandation"], tuple(links)), here))
    return out


def _shown(raw: int, divisor: int) -> str:
    return french_number((200 * raw + divisor) // (2 * divisor))


def _span(values: list[int], divisor: int) -> str:
    first, last = _shown(values[0], divisor), _shown(values[-1], divisor)
    return f"le score {first}" if first == last else f"les scores de {first} à {last}"


def check_coverage(bands: list[tuple[Band, tuple]], questions: list[Question], divisor: int, what: str,
                   add: Add, at: tuple) -> bool:
    """Every reachable score in exactly one band; bands never overlap nor lie out of reach. True if all holds."""
    ok = True
    ordered = sorted(bands, key=lambda item: (item[0].de, item[0].a))
    for (first, _), (second, line) in zip(ordered, ordered[1:]):
        if second.de <= first.a:
            ok = False
            add(f"les tranches « {first.titre} » ({french_number(first.de)} à {french_number(first.a)}) et "
                f"« {second.titre} » ({french_number(second.de)} à {french_number(second.a)}) se chevauchent "
                f"({what}) : un même score ne doit mener qu'à une tranche.", line)
    values = _values(reachable(questions))
    for band, line in ordered:
        if not any(band.holds(v, divisor) for v in values):
            ok = False
            add(f"la tranche « {band.titre} » ({french_number(band.de)} à {french_number(band.a)}) ne peut jamais "
                f"être atteinte ({what}) : les scores possibles vont de {_shown(values[0], divisor)} à "
                f"{_shown(values[-1], divisor)}.", line)
    gaps: list[list[int]] = []
    previous_covered = True
    for v in values:
        covered = any(b.holds(v, divisor) for b, _ in bands)
        if not covered:
            if previous_covered:
                gaps.append([])
            gaps[-1].append(v)
        previous_covered = covered
    for gap in gaps[:3]:
        ok = False
        add(f"aucune tranche ne couvre {_span(gap, divisor)} ({what}), que les réponses permettent d'obtenir ; "
            "ajustez « de » et « a » pour que les tranches se suivent.", at)
    return ok


def _questions(value: Any, axis: dict, scales: dict[str, Scale], add: Add, at: tuple, seen: set[str],
               budget: list[int]) -> list[Question]:
    out = []
    for i, item in enumerate(_items(value, "questions", MAX_QUESTIONS, add, at)):
        here = at + (i,)
        if budget[0] >= MAX_QUESTIONS:
            add(f"l'autodiagnostic dépasse la limite de {MAX_QUESTIONS} questions ; un questionnaire plus long "
                "décourage les lecteurs : découpez-le ou resserrez-le.", here)
            break
        budget[0] += 1
        values = _check_keys(QUESTION_FIELDS, item, add, here, f"question {i + 1} de l'axe « {axis.get('id')} »")
        if values is None:
            continue
        qid = None if values["id"] is None else _id(values["id"], add, here + ("id",), "de question", seen)
        weight = _integer(values["poids"], "poids", 1, MAX_WEIGHT, add, here + ("poids",))
        scale_id = values["echelle"] or axis.get("echelle")
        scale = None
        if scale_id is None:
            add(f"la question « {values['id']} » n'a pas d'échelle de réponse : indiquez « echelle: … » sur la "
                "question ou sur son axe.", here)
        elif scale_id not in scales:
            add(f"la question « {values['id']} » utilise l'échelle « {scale_id} », qui n'est pas déclarée dans "
                f"« echelles ».{schema.did_you_mean(str(scale_id), list(scales))} "
                f"Échelles déclarées : {', '.join(scales) or 'aucune'}.", here + ("echelle",) if values["echelle"] else here)
        else:
            scale = scales[scale_id]
        if None in (qid, values["texte"], weight, scale):
            continue
        assert qid is not None and weight is not None and scale is not None
        out.append(Question(qid, values["texte"], scale, weight, values["aide"]))
    return out


def parse(data: Any, kit_id: str, add: Add, locate: Locate = lambda *path: None) -> Diagnostic | None:
    """The diagnosis declared by YAML data, or None; every problem goes to `add` (message, YAML path).

    `locate` gives the line of a YAML path, for the links that are checked later against the corpus.
    """
    top = _check_keys(TOP_FIELDS, data, add, (), "le fichier")
    if top is None:
        return None
    ok = all(top[f.name] is not None for f in TOP_FIELDS if f.required)
    rule = top["calcul"] or "somme"
    scales = _scales(top["echelles"], add) if top["echelles"] is not None else {}
    ok = ok and None not in scales.values()
    axes: list[Axis] = []
    seen_axes: set[str] = set()
    seen_questions: set[str] = set()
    budget = [0]
    questions_ok = True  # the overall score can be checked when every question is valid, whatever the axis bands
    every: list[Question] = []
    for i, item in enumerate(_items(top["axes"], "axes", MAX_AXES, add, ("axes",)) if top["axes"] is not None else []):
        here: tuple = ("axes", i)
        values = _check_keys(AXIS_FIELDS, item, add, here, f"axe {i + 1}")
        if values is None:
            ok = questions_ok = False
            continue
        aid = None if values["id"] is None else _id(values["id"], add, here + ("id",), "d'axe", seen_axes)
        questions = [] if values["questions"] is None else _questions(
            values["questions"], values, scales, add, here + ("questions",), seen_questions, budget)
        bands = [] if values["resultats"] is None else _bands(values["resultats"], "resultats", add, locate, here + ("resultats",))
        counted = len(values["questions"]) if isinstance(values["questions"], list) else -1
        every += questions
        questions_ok = questions_ok and bool(questions) and len(questions) == counted
        declared = len(values["resultats"]) if isinstance(values["resultats"], list) else -1
        # Only a fully valid axis has its coverage checked: a dropped question or band would report false gaps.
        if (aid is None or values["titre"] is None or not questions or len(questions) != counted or not bands
                or len(bands) != declared):
            ok = False
            continue
        divisor = sum(q.poids for q in questions) if rule == "moyenne" else 1
        if not check_coverage(bands, questions, divisor, f"axe « {values['titre']} »", add, here + ("resultats",)):
            ok = False
            continue
        axes.append(Axis(aid, values["titre"], tuple(questions), tuple(b for b, _ in bands), values["description"]))
    overall: list[tuple[Band, tuple]] = []
    if top["resultats"]:
        overall = _bands(top["resultats"], "resultats", add, locate, ("resultats",))
        if not isinstance(top["resultats"], list) or len(overall) != len(top["resultats"]):
            ok = False
        elif questions_ok and every and None not in scales.values():
            divisor = sum(q.poids for q in every) if rule == "moyenne" else 1
            ok = check_coverage(overall, every, divisor, "score global", add, ("resultats",)) and ok
    sources = top["sources"]
    if isinstance(sources, list) and len(sources) > MAX_SOURCES:
        add(f"« sources » contient {len(sources)} éléments, au-delà de la limite de {MAX_SOURCES}.", ("sources",))
        ok = False
    if not ok or None in (top["titre"], top["introduction"], sources) or not axes:
        return None
    return Diagnostic(kit_id, top["titre"], top["introduction"], rule, tuple(s for s in scales.values() if s), tuple(axes),
                      tuple(b for b, _ in overall), tuple(sources))


def load(folder: Path, report: Report) -> Diagnostic | None:
    """The diagnosis of a kit folder (None if it has none or if it is invalid; problems go to the report)."""
    path = folder / FILE
    if not path.is_file():
        return None
    try:
        located = load_yaml(path)
    except SourceError as exc:
        report.add(path, exc.message[0].upper() + exc.message[1:], exc.line)
        return None
    if located.data is None:
        report.add(path, "Le fichier autodiagnostic.yml est vide ; déclarez-y au moins titre, introduction, "
                   "echelles, axes et sources, ou supprimez-le.", 1)
        return None

    def add(message: str, at: tuple) -> None:
        report.add(path, message[0].upper() + message[1:], located.line(*at) if at else None)

    diagnostic = parse(located.data, folder.name, add, located.line)
    if diagnostic is None:
        return None
    return Diagnostic(**{**diagnostic.__dict__, "lines": located})


def check_links(d: Diagnostic, folder: Path, kit_ids: list[str], report: Report) -> None:
    """Each recommendation's link leads to a kit that exists (cross-reference check, once every kit is known)."""
    path = folder / FILE
    for band in [*(b for a in d.axes for b in a.bands), *d.bands]:
        for link in band.liens:
            if link.kit not in kit_ids:
                report.add(path, f"La recommandation « {band.titre} » renvoie au kit « {link.kit} », qui n'existe pas."
                           f"{schema.did_you_mean(link.kit, kit_ids)} Indiquez le nom du dossier d'un kit existant.",
                           link.line)


def words(d: Diagnostic) -> str:
    """Every text of the diagnosis a reader may search for: questions, hints, results and recommendations."""
    parts = [d.introduction]
    for axis in d.axes:
        parts += [axis.titre, axis.description or ""]
        parts += [f"{q.texte} {q.aide or ''}" for q in axis.questions]
        parts += [f"{b.titre} {b.recommandation}" for b in axis.bands]
    parts += [f"{b.titre} {b.recommandation}" for b in d.bands]
    return " ".join(" ".join(parts).split())


# ----- documentation: JSON Schema and the guide's tables, from the same fields ---------------------------------

_KIND_NAMES = {"texte": "texte", "liste": "liste de textes", "choix": "une valeur parmi", "nombre": "nombre",
               "echelles": "identifiant → liste de réponses", "axes": "liste d'axes", "questions": "liste de questions",
               "tranches": "liste de tranches", "liens": "liste de `{kit, partie}`"}
GUIDE_TABLES = {"cles-autodiagnostic": TOP_FIELDS, "cles-axe": AXIS_FIELDS, "cles-question": QUESTION_FIELDS,
                "cles-reponse": OPTION_FIELDS, "cles-tranche": BAND_FIELDS, "cles-lien": LINK_FIELDS}


def markdown_table(fields: tuple[Key, ...]) -> str:
    """Markdown table documenting one mapping of autodiagnostic.yml, for the contributor guide."""
    rows = ["| clé | obligatoire | type | signification |", "|---|---|---|---|"]
    for f in fields:
        kind = _KIND_NAMES[f.kind] + (" " + ", ".join(f"`{c}`" for c in f.choices) if f.kind == "choix" else "")
        default = f" Par défaut : `{f.default}`." if f.default not in (None, ()) else ""
        rows.append(f"| `{f.name}` | {'oui' if f.required else 'non'} | {kind} | {f.description}{default} |")
    return "\n".join(rows)


def _object(fields: tuple[Key, ...], kinds: dict[str, dict]) -> dict:
    properties = {}
    for f in fields:
        if f.kind == "texte":
            prop: dict[str, Any] = schema.editor_messages({"type": "string", "minLength": 1, "maxLength": MAX_LONG_CHARS},
                                                          f"« {f.name} » doit être un texte.")
        elif f.kind == "liste":
            prop = {"type": "array", "minItems": 1, "maxItems": MAX_SOURCES, "items": schema.editor_messages(
                {"type": "string", "minLength": 1}, f"Chaque élément de « {f.name} » doit être un texte non vide.")}
        elif f.kind == "choix":
            prop = schema.editor_messages({"type": "string", "enum": list(f.choices)},
                                          f"« {f.name} » : valeur non acceptée. Valeurs possibles : {', '.join(f.choices)}.")
        else:
            prop = dict(kinds[f.kind])
        prop["description"] = prop["markdownDescription"] = f.description
        if f.default not in (None, ()):
            prop["default"] = f.default
        properties[f.name] = prop
    return schema.editor_messages({"type": "object", "additionalProperties": False,
                                   "required": [f.name for f in fields if f.required], "properties": properties},
                                  schema.keys_message(fields))



def json_schema(kit_ids: list[str] | None = None) -> dict:
    """JSON Schema of autodiagnostic.yml (the checks above say more, with lines: coverage of scores, references)."""
    ident = {"type": "string", "pattern": schema.ID_PATTERN.pattern}
    number = {"type": "number", "minimum": -100_000, "maximum": 100_000, "multipleOf": 0.01}
    link_kinds: dict[str, dict] = {}
    link = _object(LINK_FIELDS, link_kinds)
    link["properties"]["kit"] = {**({"enum": sorted(kit_ids)} if kit_ids else ident), "type": "string",
                                 "description": LINK_FIELDS[0].description}
    band = _object(BAND_FIELDS, {"nombre": number, "liens": {"type": "array", "maxItems": MAX_LINKS, "items": link}})
    bands = {"type": "array", "minItems": 1, "maxItems": MAX_BANDS, "items": band}
    option = _object(OPTION_FIELDS, {"nombre": {"type": "integer", "minimum": 0, "maximum": MAX_POINTS}})
    question = _object(QUESTION_FIELDS, {"nombre": {"type": "integer", "minimum": 1, "maximum": MAX_WEIGHT}})
    question["properties"]["id"] = {**ident, "description": QUESTION_FIELDS[0].description}
    axis = _object(AXIS_FIELDS, {"questions": {"type": "array", "minItems": 1, "maxItems": MAX_QUESTIONS,
                                               "items": question}, "tranches": bands})
    axis["properties"]["id"] = {**ident, "description": AXIS_FIELDS[0].description}
    top = _object(TOP_FIELDS, {
        "echelles": {"type": "object", "minProperties": 1, "maxProperties": MAX_SCALES,
                     "propertyNames": ident, "additionalProperties": {
                         "type": "array", "minItems": MIN_OPTIONS, "maxItems": MAX_OPTIONS, "items": option}},
        "axes": {"type": "array", "minItems": 1, "maxItems": MAX_AXES, "items": axis},
        "tranches": bands,
    })
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "autodiagnostic.schema.json",
            "title": "autodiagnostic.yml — autodiagnostic d'un kit",
            "description": "Questionnaire qui se calcule seul, dans la page et dans le tableur. Documentation : "
                           "CONTRIBUTING.md.", **top}
