"""Field kinds of the kit format: each coerces a YAML value (French messages), and describes itself in JSON Schema and in the guide.

A record of the format (a kit, a resource, an audience…) is a class whose body lists its fields, in the manner of
MkDocs' `config_options`: `titre = Text("…", required=True)`. `Record` turns that body into a dataclass, so the
model, the validation, the published JSON Schema and the contributor guide all come from one declaration.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, ClassVar, Iterable, Mapping

from . import parts
from .wording import french_date

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Dates every output can store: a zip entry's year is 1980 + 7 bits (1980–2107).
FIRST_DATE = dt.date(1980, 1, 1)
LAST_DATE = dt.date(2107, 12, 31)
# Derived from the part table, for callers that only need ids and labels.
SECTIONS: tuple[tuple[str, str], ...] = tuple((p.id, p.label) for p in parts.PARTS)
LICENCES = (
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC0-1.0",
    "etalab-2.0",
    "LAL-1.3",
    "ODbL-1.0",
)
STATUTS = ("publie", "brouillon")
COLOURS = ("red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green",
           "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey")
# A real calendar date between FIRST_DATE and LAST_DATE, in a pattern: editors' language servers do not check
# `format: date`, and a pattern makes the published schema refuse 2026-02-30 or 1975-06-01 as `make check` does
# (tests/test_schema_agreement.py compares it with the Date kind, day by day).
_YEAR = r"(?:19[89]\d|20\d\d|210[0-7])"
_LEAP_YEAR = r"(?:19(?:8[048]|9[26])|20(?:[02468][048]|[13579][26])|2104)"  # 2100 is not a leap year
DATE_PATTERN = (
    rf"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    rf"|02-(?:0[1-9]|1\d|2[0-8]))|{_LEAP_YEAR}-02-29)$"
)
NOT_BLANK = r"\S"
SHOWN_CHOICES = 6  # the guide's table lists this many choices, then « … » (the rest follows the table)

Reporter = Callable[[str, tuple], None]


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest known value to a probable typo, if any is close enough."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """A French « Vouliez-vous dire … ? » sentence, or nothing."""
    guess = suggest(value, choices)
    return f" Vouliez-vous dire « {guess} » ?" if guess else ""


TYPE_NAMES = {bool: "un booléen", int: "un nombre", float: "un nombre", list: "une liste", dict: "un ensemble de clés",
              str: "un texte", type(None): "une valeur vide"}


def describe(value: Any) -> str:
    """French name of a YAML value's type, for error messages."""
    return TYPE_NAMES.get(type(value), "une valeur")


def quoted_list(names: list[str]) -> str:
    """« a », « b » et « c »."""
    quoted = [f"« {n} »" for n in names]
    return " et ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _too_many(ctx: Context, key: str, count: int, limit: int | None, at: tuple) -> bool:
    """Report a list longer than its limit (every list a contributor writes is bounded); True if it is."""
    if limit is None or count <= limit:
        return False
    ctx.report(f"« {key} » a {count} éléments, au-delà de la limite de {limit} ; gardez les plus utiles.", at)
    return True


def editor_messages(schema: dict, error: str | None = None, pattern: str | None = None) -> dict:
    """`schema` with the French messages yaml-language-server shows instead of its own English ones.

    `errorMessage` replaces its type, enum and key messages; `patternErrorMessage` those of `pattern` and `format`.
    """
    if error:
        schema["errorMessage"] = error
    if pattern:
        schema["patternErrorMessage"] = pattern
    return schema


@dataclass
class Context:
    """Where values come from: how to report a problem, and the plain words YAML 1.1 reads as yes or no."""

    report: Reporter
    # Unquoted `No`, `on`, `y`… by path: YAML 1.1 (make check) and YAML 1.2 (editors) disagree on them.
    words: Mapping[tuple, str] = dataclasses.field(default_factory=dict)
    count: int = 0  # problems reported so far: a list keeps its valid elements, yet is not valid itself

    def __post_init__(self) -> None:
        report = self.report

        def counted(message: str, at: tuple) -> None:
            self.count += 1
            report(message, at)

        self.report = counted

    def word(self, at: tuple) -> str | None:
        """The plain yes/no word written at `at`, if any."""
        return self.words.get(at)


def _unquoted(ctx: Context, at: tuple, what: str, example: str) -> bool:
    """Report a plain yes/no word where a text is expected (`example` shows it quoted); True if there was one."""
    word = ctx.word(at)
    if word is not None:
        ctx.report(f"{what} vaut « {word} » sans guillemets : YAML peut le lire comme oui ou non (un booléen) plutôt "
                   f"que comme un texte ; mettez-le entre guillemets : {example.format(word)}.", at)
    return word is not None


class Field:
    """One key of a YAML mapping: whether it is required, its default, its French documentation."""

    annotation: ClassVar[Any] = Any  # the Python type of a valid value, for the record's dataclass
    kind: ClassVar[str] = ""  # the kind's name in the contributor guide

    def __init__(self, description: str, *, required: bool = False, default: Any = None, example: Any = None) -> None:
        self.name = ""
        self.description = description
        self.required = required
        self.default = default
        self.example = example

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    # -- values ---------------------------------------------------------------------------------------------------
    def coerce(self, value: Any, ctx: Context, at: tuple) -> Any:
        """The normalised value, or None after reporting in French why `value` is not valid."""
        raise NotImplementedError

    def default_value(self) -> Any:
        """A fresh copy of the default (lists are never shared between records)."""
        return list(self.default) if isinstance(self.default, (list, tuple)) else self.default

    def blank(self) -> Any:
        """A stand-in for an invalid value, so that a half-valid record can still be checked further."""
        return self.default_value()

    def empty_message(self) -> str:
        """What to say when the key is written with no value."""
        if self.required:
            return f"la clé obligatoire « {self.name} » est vide ; {self.description[0].lower() + self.description[1:]}"
        default = f" (par défaut : {self.default})" if self.default not in (None, (), []) else ""
        return f"la clé « {self.name} » est vide ; écrivez une valeur, ou retirez la ligne{default}."

    # -- descriptions ---------------------------------------------------------------------------------------------
    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        """JSON Schema of a valid value, without the documentation keywords."""
        raise NotImplementedError

    def json_schema(self, ids: Mapping[str, list[str]] | None = None) -> dict:
        """JSON Schema of the key, with its description, default and example."""
        schema = self.value_schema(ids or {})
        schema["description"] = self.description
        # Editors show this one on hover and completion, Markdown rendered (`code`, links).
        schema["markdownDescription"] = self.description
        if self.default not in (None, (), []):
            schema["default"] = self.default
            schema["markdownDescription"] += f" Par défaut : `{self.default}`."
        if self.example is not None:
            schema["examples"] = [self.example]
        return schema

    def doc_kind(self) -> str:
        """The kind as the contributor guide's table shows it."""
        return self.kind


class Text(Field):
    """A non-blank text; a number is taken as its text."""

    annotation = str
    kind = "texte"

    def __init__(self, description: str, *, required: bool = False, default: Any = None, example: Any = None,
                 max_chars: int | None = None) -> None:
        super().__init__(description, required=required, default=default, example=example)
        self.max_chars = max_chars

    def blank(self) -> Any:
        return "" if self.required else self.default_value()

    def coerce(self, value: Any, ctx: Context, at: tuple) -> str | None:
        key = self.name
        if _unquoted(ctx, at, f"« {key} »", key + ': "{}"'):
            return None
        value = str(value) if _is_number(value) else value
        if not isinstance(value, str):
            ctx.report(f"« {key} » doit être un texte, pas {describe(value)}.", at)
            return None
        if not value.strip():
            ctx.report(f"« {key} » est vide ; écrivez-y un texte.", at)
            return None
        text = value.strip()
        if self.max_chars is not None and len(text) > self.max_chars:
            ctx.report(f"« {key} » est trop long ({len(text)} caractères, maximum {self.max_chars}) ; raccourcissez-le.",
                       at)
            return None
        return text

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        out = editor_messages({"type": ["string", "number"], "minLength": 1, "pattern": NOT_BLANK},
                              f"« {self.name} » doit être un texte.", f"« {self.name} » est vide ; écrivez-y un texte.")
        if self.max_chars is not None:
            out["maxLength"] = self.max_chars
        return out


class Identifier(Text):
    """The id of a registry record: lowercase letters without accents, digits and hyphens."""

    def coerce(self, value: Any, ctx: Context, at: tuple) -> str | None:
        if _is_number(value):
            ctx.report(f"« {self.name} » doit être un texte, pas {describe(value)} ; mettez-le entre guillemets.", at)
            return None
        text = super().coerce(value, ctx, at)
        if text is not None and not ID_PATTERN.match(text):
            ctx.report(f"l'identifiant « {text} » n'est pas valide : minuscules sans accents, chiffres et tirets "
                       "seulement.", at)
            return None
        return text

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        wrong = f"« {self.name} » n'est pas un identifiant valide : minuscules sans accents, chiffres et tirets seulement."
        return editor_messages({"type": "string", "pattern": ID_PATTERN.pattern}, wrong, wrong)


class TextList(Field):
    """A list of non-blank texts (one text alone stands for a list of one); required lists may not be empty."""

    annotation = list[str]
    kind = "liste de textes"

    def __init__(self, description: str, *, required: bool = False, example: Any = None,
                 max_items: int | None = None) -> None:
        super().__init__(description, required=required, default=() if not required else None, example=example)
        self.max_items = max_items

    def blank(self) -> Any:
        return []

    def item(self, value: Any, ctx: Context, at: tuple, position: int) -> str | None:
        """One element, normalised, or None after reporting."""
        if _unquoted(ctx, at, f"l'élément {position} de « {self.name} »", '- "{}"'):
            return None
        value = str(value) if _is_number(value) else value
        if not isinstance(value, str) or not value.strip():
            ctx.report(f"l'élément {position} de « {self.name} » doit être un texte non vide, pas {describe(value)}.", at)
            return None
        return value.strip()

    def coerce(self, value: Any, ctx: Context, at: tuple) -> list[str] | None:
        key = self.name
        alone = not isinstance(value, list)
        if alone and (isinstance(value, str) or _is_number(value) or ctx.word(at) is not None):
            value = [value]
        if not isinstance(value, list):
            ctx.report(f"« {key} » doit être une liste (une valeur par ligne, précédée de « - »), pas {describe(value)}.", at)
            return None
        if not value:
            if not self.required:
                return []
            ctx.report(f"« {key} » est une liste vide ; indiquez au moins une valeur.", at)
            return None
        if _too_many(ctx, key, len(value), self.max_items, at):
            return None
        out = []
        for i, element in enumerate(value):
            clean = self.item(element, ctx, at if alone else at + (i,), i + 1)
            if clean is not None:
                out.append(clean)
        return out

    def item_schema(self, ids: Mapping[str, list[str]]) -> dict:
        """JSON Schema of one element."""
        wrong = f"Chaque élément de « {self.name} » doit être un texte non vide."
        return editor_messages({"type": ["string", "number"], "minLength": 1, "pattern": NOT_BLANK}, wrong, wrong)

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        item = self.item_schema(ids)
        array: dict[str, Any] = {"type": "array", "items": item}
        if self.required:
            array["minItems"] = 1
        if self.max_items is not None:
            array["maxItems"] = self.max_items
        # One value alone may be written without the list: `publics: associations`.
        return {"anyOf": [dict(item), array]}


class Ids(TextList):
    """Ids of records of a registry (publics, enjeux…) or of kits; their existence is a cross-reference check."""

    kind = "liste d'identifiants"

    def __init__(self, refers_to: str, description: str, *, required: bool = False, example: Any = None) -> None:
        super().__init__(description, required=required, example=example)
        self.refers_to = refers_to

    def coerce(self, value: Any, ctx: Context, at: tuple) -> list[str] | None:
        out = super().coerce(value, ctx, at)
        # A repeated id means nothing more: keep its first place.
        return None if out is None else list(dict.fromkeys(out))

    def item_schema(self, ids: Mapping[str, list[str]]) -> dict:
        known = ids.get(self.refers_to)
        if known:
            names = sorted(known)
            out = editor_messages({"type": "string", "enum": names},
                                  f"« {self.name} » : valeur inconnue. Valeurs possibles : {', '.join(names)}.")
            if isinstance(known, Mapping):  # id → what the record is, shown by completion and hover
                out["enumDescriptions"] = [known[n] for n in names]
            return out
        wrong = (f"« {self.name} » attend des identifiants ({self.refers_to}) : minuscules sans accents, chiffres et "
                 "tirets ; `make check` vérifie qu'ils existent.")
        return editor_messages({"type": "string", "pattern": ID_PATTERN.pattern}, wrong, wrong)

    def doc_kind(self) -> str:
        return f"{self.kind} ({self.refers_to})"


class Date(Field):
    """A calendar date written AAAA-MM-JJ."""

    annotation = dt.date
    kind = "date AAAA-MM-JJ"

    def blank(self) -> Any:
        return dt.date.min if self.required else self.default_value()

    def coerce(self, value: Any, ctx: Context, at: tuple) -> dt.date | None:
        if isinstance(value, dt.date):
            day = value
        else:
            text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise ValueError
                day = dt.date.fromisoformat(text)
            except ValueError:
                shown = ctx.word(at) or (value if isinstance(value, str) else describe(value))
                ctx.report(f"« {self.name} » doit être une date au format AAAA-MM-JJ (par exemple 2026-03-31), pas « {shown} ».", at)
                return None
        if not FIRST_DATE <= day <= LAST_DATE:
            ctx.report(f"« {self.name} » vaut « {day.isoformat()} », hors des dates possibles (du {french_date(FIRST_DATE)} "
                       f"au {french_date(LAST_DATE)}, ce que les archives zip savent enregistrer) ; indiquez la date de "
                       "la dernière mise à jour du kit.", at)
            return None
        return day

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        wrong = (f"« {self.name} » doit être une date réelle au format AAAA-MM-JJ, du {FIRST_DATE.isoformat()} au "
                 f"{LAST_DATE.isoformat()} (par exemple 2026-03-31).")
        return editor_messages({"type": "string", "format": "date", "pattern": DATE_PATTERN}, wrong, wrong)


class Integer(Field):
    """A whole number, within bounds when given (a weight, a year, points)."""

    annotation = int
    kind = "nombre entier"

    def __init__(self, description: str, *, required: bool = False, default: Any = None, example: Any = None,
                 minimum: int | None = None, maximum: int | None = None) -> None:
        super().__init__(description, required=required, default=default, example=example)
        self.minimum, self.maximum = minimum, maximum

    def coerce(self, value: Any, ctx: Context, at: tuple) -> int | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 2.0 is the integer 2 for JSON Schema, hence for the editor: the same here
        if not isinstance(value, int) or isinstance(value, bool):
            shown = f"« {value} »" if isinstance(value, (str, float)) else describe(value)
            bounds = f" {self._bounds()}" if self.minimum is not None or self.maximum is not None else ""
            ctx.report(f"« {self.name} » doit être un nombre entier{bounds}, pas {shown}.", at)
            return None
        low = self.minimum if self.minimum is not None else value
        high = self.maximum if self.maximum is not None else value
        if not low <= value <= high:
            ctx.report(f"« {self.name} » doit être {self._bounds()}, pas {value}.", at)
            return None
        return value

    def _bounds(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"compris entre {self.minimum} et {self.maximum}"
        if self.minimum is not None:
            return f"au moins {self.minimum}"
        return f"au plus {self.maximum}"

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        bounds = f" {self._bounds()}" if self.minimum is not None or self.maximum is not None else ""
        return editor_messages(out, f"« {self.name} » doit être un nombre entier{bounds}.")

    def doc_kind(self) -> str:
        return self.kind + (f" {self._bounds()}" if self.minimum is not None or self.maximum is not None else "")


class Choice(Field):
    """One value among a fixed list (a licence, a status, a colour)."""

    annotation = str
    kind = "une valeur parmi"

    def __init__(self, choices: Iterable[str], description: str, *, required: bool = False, default: Any = None,
                 example: Any = None) -> None:
        super().__init__(description, required=required, default=default, example=example)
        self.choices = tuple(choices)

    def coerce(self, value: Any, ctx: Context, at: tuple) -> str | None:
        if not isinstance(value, str) or value not in self.choices:
            shown = ctx.word(at) or (value if isinstance(value, str) else describe(value))
            ctx.report(
                f"« {shown} » n'est pas une valeur possible pour « {self.name} ». Valeurs possibles : "
                f"{', '.join(self.choices)}.{did_you_mean(str(shown), self.choices)}",
                at,
            )
            return None
        return value

    def empty_message(self) -> str:
        if self.required:
            return super().empty_message()
        default = f" (par défaut : {self.default})" if self.default else ""
        return (f"la clé « {self.name} » est vide ; écrivez l'une des valeurs possibles ({', '.join(self.choices)}), "
                f"ou retirez la ligne{default}.")

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        return editor_messages({"type": "string", "enum": list(self.choices)},
                               f"« {self.name} » : valeur non acceptée. Valeurs possibles : {', '.join(self.choices)}.")

    def doc_kind(self) -> str:
        shown = ", ".join(f"`{c}`" for c in self.choices[:SHOWN_CHOICES])
        shown += ", …" if len(self.choices) > SHOWN_CHOICES else ""
        return f"{self.kind} {shown}"


class Period(Text):
    """The year a figure refers to, or a period « 2015-2017 » whose end follows its start."""

    kind = "année ou période"
    PATTERN = re.compile(r"^(\d{4})(?:-(\d{4}))?$")

    def coerce(self, value: Any, ctx: Context, at: tuple) -> str | None:
        text = super().coerce(value, ctx, at)
        if text is None:
            return None
        match = self.PATTERN.match(text)
        if not match or (match.group(2) and int(match.group(2)) <= int(match.group(1))):
            ctx.report(f"« {self.name} » vaut « {text} », qui n'est pas une année valide : écrivez une année sur quatre "
                       "chiffres (« 2016 ») ou une période dont la fin suit le début (« 2015-2017 »).", at)
            return None
        return text

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        wrong = (f"« {self.name} » : écrivez une année sur quatre chiffres (« 2016 ») ou une période dont la fin suit "
                 "le début (« 2015-2017 »).")
        return editor_messages({"type": ["string", "integer"], "pattern": self.PATTERN.pattern}, wrong, wrong)


UNDATED = "s. d."  # « sans date », the bibliographic mark for a document that gives no year
FIRST_SOURCE_YEAR = 1800


class PublicationYear(Field):
    """The year a document was published (not in the future), or « s. d. » for an undated one."""

    annotation = int | str
    kind = "année AAAA ou « s. d. »"

    def coerce(self, value: Any, ctx: Context, at: tuple) -> int | str | None:
        if isinstance(value, str) and " ".join(value.replace("\u00a0", " ").split()) == UNDATED:
            return UNDATED
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        if re.fullmatch(r"\d{4}", text) and FIRST_SOURCE_YEAR <= int(text) <= dt.date.today().year:
            return int(text)
        shown = ctx.word(at) or (value if isinstance(value, (int, str)) and not isinstance(value, bool) else describe(value))
        ctx.report(f"« {self.name} » doit être une année de publication sur quatre chiffres, passée ou en cours "
                   f"(par exemple 2017), ou « {UNDATED} » pour un document sans date, pas « {shown} ».", at)
        return None

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        # The upper bound, the current year, is left to `make check`: a committed schema cannot follow the clock.
        wrong = (f"« {self.name} » doit être une année de publication sur quatre chiffres (par exemple 2017), ou "
                 f"« {UNDATED} » pour un document sans date.")
        return editor_messages({"oneOf": [
            editor_messages({"type": "integer", "minimum": FIRST_SOURCE_YEAR, "maximum": 9999}, wrong),
            editor_messages({"type": "string", "pattern": rf"^\s*(?:1[89]\d\d|[2-9]\d\d\d)\s*$"}, wrong, wrong),
            editor_messages({"type": "string", "pattern": r"^\s*s\.\s+d\.\s*$"}, wrong, wrong)]}, wrong)


ADDRESS_MAX = 2000
_PORT = r"(?:\d{1,4}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])"  # 0 to 65535, as urlsplit allows
# At most 16 labels: bounded like every scan of contributed text (spans.py).
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,16}[a-z]{2,63}")


def address_problem(address: str) -> str | None:
    """Why a web address is not a well-formed https:// address (its form only, checked offline), or None."""
    from urllib.parse import urlsplit

    if len(address) > ADDRESS_MAX:
        return f"elle dépasse {ADDRESS_MAX} caractères"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in address):
        return "elle contient une espace ou un caractère invisible ; remplacez les espaces par %20"
    if not address.lower().startswith("https://"):
        return "elle doit commencer par « https:// » (une adresse sécurisée)"
    try:
        parts_ = urlsplit(address)
        parts_.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return "sa forme n'est pas celle d'une adresse web"
    if parts_.username or parts_.password:
        return "elle ne doit pas contenir d'identifiant ni de mot de passe"
    if not _HOST.fullmatch(parts_.hostname or ""):
        return "le nom du site (après « https:// ») n'est pas un nom de domaine complet, comme « www.exemple.fr »"
    return None


class WebAddress(Text):
    """A complete https:// address, checked for its form without the network."""

    kind = "adresse https://"

    def coerce(self, value: Any, ctx: Context, at: tuple) -> str | None:
        text = super().coerce(value, ctx, at)
        if text is None:
            return None
        reason = address_problem(text)
        if reason:
            ctx.report(f"l'adresse « {text[:80]} » n'est pas valide : {reason}.", at)
            return None
        return text

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        # The form address_problem accepts: https://, a full domain name, an optional port, then no space.
        wrong = (f"« {self.name} » doit être une adresse web complète qui commence par « https:// », sans espace "
                 "(par exemple https://www.exemple.fr/page).")
        return editor_messages({
            "type": "string", "maxLength": ADDRESS_MAX,
            "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,16}[A-Za-z]{2,63}"
                       rf"(?::{_PORT}?)?(?:[/?#]\S*)?\s*$"}, wrong, wrong)


class Hundredths(Field):
    """A number with at most two decimals (12, 2.5), kept exactly as an integer count of hundredths.

    Written as a YAML number, never as text (« 2,5 », '12'): the published schema says number, and both agree.
    """

    annotation = int
    kind = "nombre (deux décimales au plus)"
    LIMIT = 100_000

    def coerce(self, value: Any, ctx: Context, at: tuple) -> int | None:
        if isinstance(value, str):
            ctx.report(f"« {self.name} » doit être un nombre écrit sans guillemets, avec un point avant les "
                       f"décimales (par exemple 12 ou 2.5), pas « {value} ».", at)
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ctx.report(f"« {self.name} » doit être un nombre, pas {describe(value)}.", at)
            return None
        number = Decimal(str(value))  # exact: 0.1 is 10 hundredths, not a binary fraction
        if not number.is_finite() or abs(number) > self.LIMIT:
            ctx.report(f"« {self.name} » doit être un nombre entre -{self.LIMIT} et {self.LIMIT}, pas « {value} ».", at)
            return None
        cents = number * 100
        if cents != cents.to_integral_value():
            ctx.report(f"« {self.name} » a plus de deux décimales ({value}) ; arrondissez-le au centième.", at)
            return None
        return int(cents)

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        return editor_messages({"type": "number", "minimum": -self.LIMIT, "maximum": self.LIMIT, "multipleOf": 0.01},
                               f"« {self.name} » doit être un nombre, avec deux décimales au plus.")


class Keyed(Field):
    """A mapping from ids the contributor chooses to values of one kind (the answer scales of a self-diagnosis)."""

    annotation = dict
    kind = "identifiant →"

    def __init__(self, values: Field, description: str, *, required: bool = False, max_keys: int | None = None,
                 example: Any = None) -> None:
        super().__init__(description, required=required, default=None if required else {}, example=example)
        self.values = values
        self.max_keys = max_keys

    def __set_name__(self, owner: type, name: str) -> None:
        super().__set_name__(owner, name)
        self.values.name = name

    def default_value(self) -> Any:
        return dict(self.default) if isinstance(self.default, dict) else self.default

    def blank(self) -> Any:
        return {}

    def coerce(self, value: Any, ctx: Context, at: tuple) -> dict | None:
        if not isinstance(value, dict) or not value:
            ctx.report(f"« {self.name} » doit associer à chaque identifiant sa valeur ({self.values.doc_kind()}), "
                       f"pas {describe(value) if not isinstance(value, dict) else 'un ensemble vide'}.", at)
            return None
        if _too_many(ctx, self.name, len(value), self.max_keys, at):
            return None
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not ID_PATTERN.match(key):
                ctx.report(f"l'identifiant « {key} » de « {self.name} » n'est pas valide : minuscules sans accents, "
                           "chiffres et tirets seulement.", at + (key,))
                continue
            kind = copy.copy(self.values)
            kind.name = f"{self.name}.{key}"  # « echelles.accord » in messages
            clean = kind.coerce(item, ctx, at + (key,))
            if clean is not None:
                out[key] = clean
        return out

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        out: dict[str, Any] = {"type": "object", "minProperties": 1,
                               "propertyNames": {"pattern": ID_PATTERN.pattern},
                               "additionalProperties": self.values.value_schema(ids)}
        if self.max_keys is not None:
            out["maxProperties"] = self.max_keys
        return out

    def doc_kind(self) -> str:
        return f"{self.kind} {self.values.doc_kind()}"


class Records(Field):
    """A list of records of another kind (the `ressources` of a kit: `{titre, fichier}` each)."""

    annotation = list
    kind = "liste de"

    def __init__(self, record: type[Record], description: str, *, required: bool = False, example: Any = None,
                 max_items: int | None = None, min_items: int = 1) -> None:
        super().__init__(description, required=required, default=None if required else (), example=example)
        self.record = record
        self.max_items = max_items
        self.min_items = min_items  # for a required list

    def blank(self) -> Any:
        return []

    def _keys(self) -> list[str]:
        return [f.name for f in self.record.fields if f.required]

    def coerce(self, value: Any, ctx: Context, at: tuple) -> list | None:
        key = self.name
        keys = self._keys()
        if not isinstance(value, list):
            shape = " / ".join(f"{k}: …" for k in keys)
            ctx.report(f"« {key} » doit être une liste d'éléments « - {shape} », pas {describe(value)}.", at)
            return None
        if self.required and not value:
            ctx.report(f"« {key} » est une liste vide ; indiquez au moins une valeur.", at)
            return None
        if self.required and len(value) < self.min_items:
            ctx.report(f"« {key} » a {len(value)} élément{'s' if len(value) > 1 else ''} ; il en faut au moins "
                       f"{self.min_items}.", at)
            return None
        if _too_many(ctx, key, len(value), self.max_items, at):
            return None
        out = []
        for i, item in enumerate(value):
            what = f"l'élément {i + 1} de « {key} »"
            if not isinstance(item, dict):
                ctx.report(f"{what} doit avoir les clés {quoted_list(keys)}.", at + (i,))
                continue
            clean = self.record.read(item, ctx, at + (i,), what)
            if clean is not None:
                out.append(clean)
        return out

    def value_schema(self, ids: Mapping[str, list[str]]) -> dict:
        out: dict[str, Any] = {"type": "array", "items": object_schema(self.record, ids)}
        if self.required:
            out["minItems"] = self.min_items
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        return out

    def doc_kind(self) -> str:
        return f"{self.kind} `{{{', '.join(self._keys())}}}`"


class Record:
    """Base of the format's records: the `Field`s of the class body become the fields of a dataclass.

    Other annotated attributes (a kit's folder, its parts) are ordinary dataclass fields that YAML never sets.
    Records are built with keywords only: `Audience(id=…, nom=…)`.
    """

    fields: ClassVar[tuple[Field, ...]] = ()

    def __init_subclass__(cls, frozen: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [value for value in vars(cls).values() if isinstance(value, Field)]
        annotations = dict(cls.__dict__.get("__annotations__", {}))
        for f in own:
            annotations[f.name] = f.annotation
            if f.required:
                delattr(cls, f.name)  # no default: a dataclass field that must be given
            else:
                setattr(cls, f.name, dataclasses.field(default_factory=f.default_value))
        cls.__annotations__ = annotations
        cls.fields = tuple(cls.fields) + tuple(own)
        dataclasses.dataclass(kw_only=True, frozen=frozen)(cls)

    @classmethod
    def field(cls, name: str) -> Field:
        """The declared field called `name` (KeyError if none)."""
        for f in cls.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @classmethod
    def read(cls, data: Any, ctx: Context, at: tuple = (), what: str = "le fichier", **extra: Any) -> Any:
        """The record from a YAML mapping, or None after reporting every problem."""
        values, ok = coerce_partial(cls, data, ctx, at, what)
        if "at" in {f.name for f in dataclasses.fields(cls)}:  # a record that keeps where it was read (for lines)
            extra.setdefault("at", at)
        return cls(**values, **extra) if ok else None


def _fields(declared: Any) -> tuple[Field, ...]:
    return tuple(getattr(declared, "fields", declared))


def coerce_mapping(fields: Any, data: Any, report: Reporter | Context, at: tuple = (), what: str = "le fichier") -> dict | None:
    """Check a mapping against fields (a Record class or a tuple); the normalised values, or None if anything was wrong."""
    values, ok = coerce_partial(fields, data, report, at, what)
    return values if ok else None


def coerce_partial(fields: Any, data: Any, report: Reporter | Context, at: tuple = (),
                   what: str = "le fichier") -> tuple[dict, bool]:
    """Check a mapping: unknown keys (with a suggestion), missing or empty keys, then each value.

    Returns the valid values (defaults for absent optional keys) and whether everything was valid, so that
    callers can go on checking what is valid and report every problem at once.
    """
    ctx = report if isinstance(report, Context) else Context(report)
    declared = _fields(fields)
    if not isinstance(data, dict):
        ctx.report(f"{what} doit contenir des paires « clé: valeur », pas {describe(data)}.", at)
        return {}, False
    names = [f.name for f in declared]
    out: dict[str, Any] = {}
    ok = True
    for key in data:
        if key not in names:
            ok = False
            ctx.report(
                f"la clé « {key} » n'est pas connue.{did_you_mean(str(key), names)} "
                f"Clés possibles : {', '.join(names)}.",
                at + (key,),
            )
    for f in declared:
        if f.name not in data:
            if f.required:
                ok = False
                ctx.report(f"la clé obligatoire « {f.name} » manque ; {f.description[0].lower() + f.description[1:]}", at)
            else:
                out[f.name] = f.default_value()
            continue
        if data[f.name] is None:
            # An empty key is never taken for its default: `statut:` left empty must not publish a draft.
            ok = False
            ctx.report(f.empty_message(), at + (f.name,))
            continue
        before = ctx.count
        value = f.coerce(data[f.name], ctx, at + (f.name,))
        if value is None or ctx.count > before:
            ok = False
        if value is not None:
            out[f.name] = value  # the valid elements of a list, for the checks that follow
    return out, ok


def object_schema(fields: Any, ids: Mapping[str, list[str]] | None = None) -> dict:
    """JSON Schema of a mapping declared by `fields` (a Record class or a tuple of fields)."""
    declared = _fields(fields)
    return editor_messages({
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in declared if f.required],
        "properties": {f.name: f.json_schema(ids) for f in declared},
    }, keys_message(declared))


def keys_message(declared: Iterable[Any]) -> str:
    """What an editor says of a missing or unknown key: which keys must be there, which may (fields: name, required)."""
    required = [f"« {f.name} »" for f in declared if f.required]
    optional = [f"« {f.name} »" for f in declared if not f.required]
    must = f"Clés obligatoires : {', '.join(required)}. " if required else ""
    may = f"Clés facultatives : {', '.join(optional)}. " if optional else ""
    return f"{must}{may}Une clé manque, est mal orthographiée (sans accents) ou n'est pas connue."


def markdown_table(fields: Any) -> str:
    """Markdown table documenting fields, for the contributor guide."""
    rows = ["| clé | obligatoire | type | signification |", "|---|---|---|---|"]
    for f in _fields(fields):
        default = f" Par défaut : `{f.default}`." if f.default not in (None, (), []) else ""
        rows.append(f"| `{f.name}` | {'oui' if f.required else 'non'} | {f.doc_kind()} | {f.description}{default} |")
    return "\n".join(rows)
