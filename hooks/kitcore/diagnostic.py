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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from . import parts, schema
from .schema import Choice, Hundredths, Identifier, Integer, Keyed, Record, Records, Text, TextList
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


# ----- the model: records of kitcore.schema where a mapping of the file is used as written ----------------------

class Option(Record, frozen=True):
    """One answer of a scale: what the reader picks, and the points it is worth."""

    libelle = Text("La réponse telle que le lecteur la lit.", required=True, max_chars=MAX_SHORT_CHARS)
    points = Integer(f"Les points de cette réponse, un entier de 0 à {MAX_POINTS}.", required=True, minimum=0,
                     maximum=MAX_POINTS)


class Link(Record, frozen=True):
    """A recommendation's link to a kit, or to one of its parts; `at` is where it was written (for its line)."""

    kit = Identifier("L'identifiant (nom de dossier) du kit.", required=True)
    partie = Choice((p.id for p in parts.PARTS), "Une partie du kit ; sans elle, le lien mène à sa présentation.")
    at: tuple = ()


class Band(Record, frozen=True):
    """A result band: scores from `de` to `a` (inclusive, in hundredths), its title, recommendation and links."""

    de = Hundredths("Le score le plus bas de la tranche (inclus ; deux décimales au plus).", required=True)
    a = Hundredths("Le score le plus haut de la tranche (inclus ; deux décimales au plus).", required=True)
    titre = Text("Le nom du résultat, par exemple « En construction ».", required=True, max_chars=MAX_SHORT_CHARS)
    recommandation = Text("Ce que le lecteur peut faire ensuite, en deux ou trois phrases.", required=True,
                          max_chars=MAX_LONG_CHARS)
    liens = Records(Link, f"Jusqu'à {MAX_LINKS} liens vers des kits (`kit`) et, si vous le voulez, l'une de "
                          "leurs parties (`partie`), qui aident à avancer.", max_items=MAX_LINKS)
    at: tuple = ()

    def holds(self, raw: int, divisor: int) -> bool:
        """Whether the score raw / divisor lies in this band (exact integer comparison)."""
        return self.de * divisor <= 100 * raw <= self.a * divisor


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


# ----- the declaration: a record of kitcore.schema per mapping that the model resolves (scales by id) -----------

class QuestionEntry(Record, frozen=True):
    """A question, as written (its scale still an id)."""

    id = Identifier("Identifiant de la question, unique dans l'autodiagnostic.", required=True)
    texte = Text("La question ou l'affirmation, telle que le lecteur la lit.", required=True, max_chars=MAX_SHORT_CHARS)
    aide = Text("Un repère qui précise ce que recouvre une réponse positive.", max_chars=MAX_SHORT_CHARS)
    echelle = Identifier("L'identifiant de l'échelle de réponse (sinon celle de l'axe).")
    poids = Integer(f"Le coefficient de la question, un entier de 1 à {MAX_WEIGHT}.", default=1, minimum=1,
                    maximum=MAX_WEIGHT)
    at: tuple = ()


class AxisEntry(Record, frozen=True):
    """An axis, as written."""

    id = Identifier("Identifiant de l'axe : minuscules, chiffres et tirets.", required=True)
    titre = Text("Le nom de l'axe, affiché comme légende du groupe de questions.", required=True,
                 max_chars=MAX_SHORT_CHARS)
    description = Text("Une phrase sur ce que l'axe mesure.", max_chars=MAX_LONG_CHARS)
    echelle = Identifier("L'échelle des questions de l'axe qui n'en indiquent pas.")
    questions = Records(QuestionEntry, "Les questions de l'axe.", required=True, max_items=MAX_QUESTIONS)
    resultats = Records(Band, "Les tranches du score de l'axe, qui doivent couvrir tous les scores possibles "
                                   "sans se chevaucher.", required=True, max_items=MAX_BANDS)
    at: tuple = ()


class Declaration(Record, frozen=True):
    """The whole of autodiagnostic.yml, as written."""

    titre = Text("Le titre de l'autodiagnostic, affiché en tête du questionnaire.", required=True,
                 max_chars=MAX_SHORT_CHARS, example="Où en est votre transformation numérique ?")
    introduction = Text("Un paragraphe qui dit à qui s'adresse le questionnaire, combien de temps il prend et ce "
                        "que le lecteur en retire.", required=True, max_chars=MAX_LONG_CHARS,
                        example="Vingt et une questions, dix minutes.")
    calcul = Choice(RULES, "Comment les points se combinent, pour chaque axe comme pour le score global : « somme » "
                           "additionne poids × points, « moyenne » divise cette somme par celle des poids.",
                    default="somme")
    echelles = Keyed(
        Records(Option, "Les réponses de l'échelle.", required=True, min_items=MIN_OPTIONS, max_items=MAX_OPTIONS),
        f"Les échelles de réponse, chacune sous un identifiant : de {MIN_OPTIONS} à {MAX_OPTIONS} réponses, "
        "réutilisables par plusieurs questions.", required=True, max_keys=MAX_SCALES,
        example={"accord": [{"libelle": "Pas du tout", "points": 1}, {"libelle": "Tout à fait", "points": 4}]})
    axes = Records(AxisEntry, f"Les axes du questionnaire (de 1 à {MAX_AXES}), chacun avec ses questions et ses "
                              "tranches de résultats.", required=True, max_items=MAX_AXES)
    resultats = Records(Band, "Les tranches du score global, chacune avec sa recommandation. Sans elles, seuls "
                                   "les scores par axe sont donnés.", max_items=MAX_BANDS)
    sources = TextList("D'où viennent les questions et les repères (outil du kit, étude…).", required=True,
                       max_items=MAX_SOURCES, example=["Grille d'autodiagnostic de la boîte à outils de ce kit"])


Add = Callable[[str, tuple], None]


def _complete(raw: Any, kept: list) -> bool:
    """Whether every element of a raw YAML list was kept (a record with a problem is dropped, and reported)."""
    return isinstance(raw, list) and len(raw) == len(kept)


def _unique(value: str, seen: set[str], what: str, add: Add, at: tuple) -> bool:
    if value in seen:
        add(f"l'identifiant « {value} » {what} est déjà utilisé plus haut ; chaque identifiant doit être unique.", at)
        return False
    seen.add(value)
    return True


def _scales(declared: dict[str, list[Option]], raw: Any, add: Add) -> dict[str, Scale | None]:
    """The scales by id; None for a scale with a problem (still declared: its questions are not reported again)."""
    out: dict[str, Scale | None] = {}
    for key, options in declared.items():
        ok = _complete(raw.get(key) if isinstance(raw, dict) else None, options)
        labels: set[str] = set()
        for i, option in enumerate(options):
            if option.libelle in labels:
                add(f"la réponse « {option.libelle} » apparaît deux fois dans l'échelle « {key} ».",
                    ("echelles", key, i, "libelle"))
                ok = False
            labels.add(option.libelle)
        out[key] = Scale(key, tuple(options)) if ok else None
    return out


def _ordered(bands: list[Band], add: Add) -> bool:
    """Whether every band has its bounds the right way round (the first one that has not is reported)."""
    for band in bands:
        if band.de > band.a:
            add(f"la tranche « {band.titre} » va de {french_number(band.de)} à {french_number(band.a)} : « de » doit "
                "être inférieur ou égal à « a ».", band.at)
            return False
    return True


def _shown(raw: int, divisor: int) -> str:
    return french_number((200 * raw + divisor) // (2 * divisor))


def _span(values: list[int], divisor: int) -> str:
    first, last = _shown(values[0], divisor), _shown(values[-1], divisor)
    return f"le score {first}" if first == last else f"les scores de {first} à {last}"


def check_coverage(bands: list[Band], questions: list[Question], divisor: int, what: str,
                   add: Add, at: tuple) -> bool:
    """Every reachable score in exactly one band; bands never overlap nor lie out of reach. True if all holds."""
    ok = True
    ordered = sorted(bands, key=lambda band: (band.de, band.a))
    for first, second in zip(ordered, ordered[1:]):
        if second.de <= first.a:
            ok = False
            add(f"les tranches « {first.titre} » ({french_number(first.de)} à {french_number(first.a)}) et "
                f"« {second.titre} » ({french_number(second.de)} à {french_number(second.a)}) se chevauchent "
                f"({what}) : un même score ne doit mener qu'à une tranche.", second.at)
    values = _values(reachable(questions))
    for band in ordered:
        if not any(band.holds(v, divisor) for v in values):
            ok = False
            add(f"la tranche « {band.titre} » ({french_number(band.de)} à {french_number(band.a)}) ne peut jamais "
                f"être atteinte ({what}) : les scores possibles vont de {_shown(values[0], divisor)} à "
                f"{_shown(values[-1], divisor)}.", band.at)
    gaps: list[list[int]] = []
    previous_covered = True
    for v in values:
        covered = any(b.holds(v, divisor) for b in bands)
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


def _questions(axis: AxisEntry, scales: dict[str, Scale | None], add: Add, seen: set[str],
               budget: list[int]) -> list[Question] | None:
    """The axis's questions with their scales resolved; None if one of them cannot be scored."""
    out: list[Question] | None = []
    for entry in axis.questions:
        if budget[0] >= MAX_QUESTIONS:
            add(f"l'autodiagnostic dépasse la limite de {MAX_QUESTIONS} questions ; un questionnaire plus long "
                "décourage les lecteurs : découpez-le ou resserrez-le.", entry.at)
            return None
        budget[0] += 1
        unique = _unique(entry.id, seen, "de question", add, entry.at + ("id",))
        scale_id = entry.echelle or axis.echelle
        scale = None
        if scale_id is None:
            add(f"la question « {entry.id} » n'a pas d'échelle de réponse : indiquez « echelle: … » sur la "
                "question ou sur son axe.", entry.at)
        elif scale_id not in scales:
            add(f"la question « {entry.id} » utilise l'échelle « {scale_id} », qui n'est pas déclarée dans "
                f"« echelles ».{schema.did_you_mean(str(scale_id), list(scales))} "
                f"Échelles déclarées : {', '.join(scales) or 'aucune'}.",
                entry.at + ("echelle",) if entry.echelle else entry.at)
        else:
            scale = scales[scale_id]
        if scale is None or not unique or out is None:
            out = None
            continue
        out.append(Question(entry.id, entry.texte, scale, entry.poids, entry.aide))
    return out


def parse(data: Any, kit_id: str, add: Add, words: Mapping[tuple, str] | None = None) -> Diagnostic | None:
    """The diagnosis declared by YAML data, or None; every problem goes to `add` (message, YAML path).

    `words` are the plain yes/no words of the file by path (Located.words): a text written `No` is told to be quoted.
    """
    values, ok = schema.coerce_partial(Declaration, data, schema.Context(add, words or {}))
    raw = data if isinstance(data, dict) else {}
    rule = values.get("calcul") or "somme"
    scales = _scales(values.get("echelles") or {}, raw.get("echelles"), add)
    ok = ok and None not in scales.values()
    axes: list[Axis] = []
    seen_axes: set[str] = set()
    seen_questions: set[str] = set()
    budget = [0]
    entries = values.get("axes") or []
    # The overall score can be checked when every question is valid, whatever the axis bands.
    questions_ok = _complete(raw.get("axes"), entries)
    every: list[Question] = []
    for axis in entries:
        unique = _unique(axis.id, seen_axes, "d'axe", add, axis.at + ("id",))
        questions = _questions(axis, scales, add, seen_questions, budget)
        bands_ok = _ordered(axis.resultats, add)
        if questions is None:
            ok = questions_ok = False
            continue
        every += questions
        if not unique or not bands_ok:
            ok = False
            continue
        divisor = sum(q.poids for q in questions) if rule == "moyenne" else 1
        if not check_coverage(axis.resultats, questions, divisor, f"axe « {axis.titre} »", add,
                              axis.at + ("resultats",)):
            ok = False
            continue
        axes.append(Axis(axis.id, axis.titre, tuple(questions), tuple(axis.resultats), axis.description))
    overall: list[Band] = []
    if values.get("resultats"):
        if not _ordered(values["resultats"], add) or not _complete(raw.get("resultats"), values["resultats"]):
            ok = False
        elif questions_ok and every and None not in scales.values():
            overall = values["resultats"]
            divisor = sum(q.poids for q in every) if rule == "moyenne" else 1
            ok = check_coverage(overall, every, divisor, "score global", add, ("resultats",)) and ok
    if not ok or not axes:
        return None
    return Diagnostic(kit_id, values["titre"], values["introduction"], rule, tuple(s for s in scales.values() if s),
                      tuple(axes), tuple(overall), tuple(values["sources"]))


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

    diagnostic = parse(located.data, folder.name, add, located.words)
    if diagnostic is None:
        return None
    return Diagnostic(**{**diagnostic.__dict__, "lines": located})


def check_links(d: Diagnostic, folder: Path, kit_ids: list[str], report: Report) -> None:
    """Each recommendation's link leads to a kit that exists (cross-reference check, once every kit is known)."""
    path = folder / FILE
    line = d.lines.line if d.lines else (lambda *at: None)
    for band in [*(b for a in d.axes for b in a.bands), *d.bands]:
        for link in band.liens:
            if link.kit not in kit_ids:
                report.add(path, f"La recommandation « {band.titre} » renvoie au kit « {link.kit} », qui n'existe pas."
                           f"{schema.did_you_mean(link.kit, kit_ids)} Indiquez le nom du dossier d'un kit existant.",
                           line(*link.at))


def words(d: Diagnostic) -> str:
    """Every text of the diagnosis a reader may search for: questions, hints, results and recommendations."""
    parts = [d.introduction]
    for axis in d.axes:
        parts += [axis.titre, axis.description or ""]
        parts += [f"{q.texte} {q.aide or ''}" for q in axis.questions]
        parts += [f"{b.titre} {b.recommandation}" for b in axis.bands]
    parts += [f"{b.titre} {b.recommandation}" for b in d.bands]
    return " ".join(" ".join(parts).split())


# ----- documentation: JSON Schema and the guide's tables, from the same records ------------------------------

GUIDE_TABLES: dict[str, type[Record]] = {
    "cles-autodiagnostic": Declaration, "cles-axe": AxisEntry, "cles-question": QuestionEntry,
    "cles-reponse": Option, "cles-tranche": Band, "cles-lien": Link}


def json_schema() -> dict:
    """JSON Schema of autodiagnostic.yml (the checks above say more, with lines: coverage of scores, references)."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "autodiagnostic.schema.json",
            "title": "autodiagnostic.yml — autodiagnostic d'un kit",
            "description": "Questionnaire qui se calcule seul, dans la page et dans le tableur. Documentation : "
                           "CONTRIBUTING.md.", **schema.object_schema(Declaration)}
