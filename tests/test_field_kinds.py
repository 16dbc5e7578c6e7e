"""Each field kind: its coercion and its JSON Schema give the same verdict, and its messages are French."""
from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from kitcore import kits, schema


def named(field: schema.Field, name: str = "cle") -> schema.Field:
    field.__set_name__(object, name)
    return field


# (kind, values); the ids of `Ids` are checked against their registry elsewhere (checks.check_ids).
KINDS = [
    (named(schema.Text("Un texte.", required=True)),
     ["a", " a ", 3, 2.5, "", "  ", True, None, [], {}, ["a"]]),
    (named(schema.Identifier("Un identifiant.", required=True)), ["a-b", "a1", "A", "a_b", "-a", "a--b", 3, ""]),
    (named(schema.TextList("Une liste.", required=True)),
     ["a", ["a"], [], ["", "b"], [1], [True], {"a": 1}, 3, [["a"]], " "]),
    (named(schema.TextList("Une liste facultative.")), [[], ["a"], "a", [None]]),
    (named(schema.Date("Une date.", required=True)),
     ["2026-01-31", "2026-02-29", "2024-02-29", "2026-13-01", "26-01-01", "2026-1-1", 20260101, True, "", "2026-01-31 "]),
    (named(schema.Choice(("publie", "brouillon"), "Un statut.")), ["publie", "brouillon", "Publie", "", 1, True, ["publie"]]),
    (named(schema.Integer("Un poids.", minimum=1, maximum=5)), [1, 5, 0, 6, 3, "3", 2.5, True, -1]),
    (named(schema.Integer("Une année.", minimum=1900)), [1900, 2026, 1899, "2026"]),
    (named(schema.PublicationYear("Une année de publication.", required=True)),
     [2015, "2015", " 2015 ", 1800, 1799, 99999, "s. d.", "s.\u00a0d.", "s.d.", "sd", True, None]),
    (named(schema.WebAddress("Une adresse.", required=True)),
     ["https://www.exemple.fr", "HTTPS://WWW.EXEMPLE.FR/A", "https://exemple.fr:65535/", "https://exemple.fr:65536/",
      "https://exemple.fr:/", "http://exemple.fr", "https://localhost/", "https://a b.fr", "https://x.fr/a b",
      "https://u:p@x.fr/", "https://x.fr./", "https://x.fr#ancre", "https://x.f", "https://-x.fr", " https://x.fr ",
      "https://" + "a." * 16 + "fr/", "https://" + "a." * 17 + "fr/"]),
    (named(schema.Records(kits.Resource, "Des fichiers.")),
     [[], [{"titre": "G", "fichier": "f.csv"}], [{"titre": "G"}], ["f.csv"], "f.csv", [{"titre": "G", "fichier": "f",
                                                                                      "x": 1}]]),
    (named(schema.Records(kits.Resource, "Au moins un, trois au plus.", required=True, max_items=3)),
     [[], [{"titre": "G", "fichier": "f"}], [{"titre": "G", "fichier": "f"}] * 4]),
]
CASES = [(f, v) for f, values in KINDS for v in values]


@pytest.mark.parametrize("field, value", CASES, ids=[f"{type(f).__name__}-{v!r}" for f, v in CASES])
def test_coercion_and_json_schema_agree(field: schema.Field, value) -> None:
    said: list[str] = []
    ctx = schema.Context(lambda message, at: said.append(message))
    coerced = field.coerce(value, ctx, (field.name,))
    valid = jsonschema.Draft7Validator(field.json_schema()).is_valid(value)
    assert (not said) == valid, (coerced, said)
    assert coerced is not None or said  # no value without saying why


def test_kinds_describe_themselves() -> None:
    weight = named(schema.Integer("Le coefficient.", minimum=1, maximum=5, default=1), "poids")
    assert weight.json_schema() == {"type": "integer", "minimum": 1, "maximum": 5, "description": "Le coefficient.",
                                    "default": 1, "markdownDescription": "Le coefficient. Par défaut : `1`.",
                                    "errorMessage": "« poids » doit être un nombre entier compris entre 1 et 5."}
    assert schema.markdown_table((weight,)).splitlines()[-1] == (
        "| `poids` | non | nombre entier compris entre 1 et 5 | Le coefficient. Par défaut : `1`. |")
    assert kits.Kit.field("ressources").doc_kind() == "liste de `{titre, fichier}`"
    assert kits.Kit.field("publics").doc_kind() == "liste d'identifiants (publics)"


@pytest.mark.parametrize("field, value, message", [
    (named(schema.Integer("", minimum=1, maximum=5), "poids"), 7, "« poids » doit être compris entre 1 et 5, pas 7."),
    (named(schema.Integer(""), "poids"), "3", "« poids » doit être un nombre entier, pas « 3 »."),
    (named(schema.Integer(""), "poids"), True, "« poids » doit être un nombre entier, pas un booléen."),
    (named(schema.Records(kits.Resource, "", required=True), "ressources"), [],
     "« ressources » est une liste vide ; indiquez au moins une valeur."),
    (named(schema.Records(kits.Resource, "", max_items=1), "ressources"), [{}, {}],
     "« ressources » a 2 éléments, au-delà de la limite de 1 ; gardez les plus utiles."),
])
def test_messages_of_the_kinds(field: schema.Field, value, message: str) -> None:
    said: list[str] = []
    assert field.coerce(value, schema.Context(lambda m, at: said.append(m)), (field.name,)) is None
    assert said == [message]


def test_a_date_kind_returns_a_date() -> None:
    field = named(schema.Date("", required=True))
    assert field.coerce("2026-03-31", schema.Context(lambda m, at: None), ()) == dt.date(2026, 3, 31)
