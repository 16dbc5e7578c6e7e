"""Unit tests of the safe loaders and of the kit model."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kitcore import kits, parts, problems
from kitcore.sources import SourceError, load_yaml, read_text

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"


def test_yaml_lines_of_keys_and_items(tmp_path: Path) -> None:
    p = tmp_path / "k.yml"
    p.write_text("titre: A\npublics:\n  - x\n  - y\nmise_a_jour: 2026-01-02\n", encoding="utf-8")
    located = load_yaml(p)
    assert located.data == {"titre": "A", "publics": ["x", "y"], "mise_a_jour": "2026-01-02"}
    assert located.line("publics", 1) == 4
    assert located.line("mise_a_jour") == 5
    assert located.line("absent") == 1


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("a: &x [1]\nb: *x\n", "les ancres YAML (« &nom ») ne sont pas acceptées ; retirez-les.", 1),
        ("a: 1\na: 2\n", "la clé « a » apparaît deux fois ; gardez-en une seule.", 2),
        ("a:\n\t- b\n", "une tabulation sert d'indentation ; YAML n'accepte que des espaces.", 2),
        ("titre: a: b\n", "la syntaxe YAML est invalide (deux-points inattendus, peut-être un texte à mettre entre "
         "guillemets) ; vérifiez l'indentation, les deux-points après chaque clé et les guillemets.", 1),
        ("a: !!python/object:os.system x\n", "la balise YAML « !!python/object:os.system » n'est pas acceptée ; "
         "écrivez une simple valeur.", 1),
        ("a: !!python/object/apply:os.system [id]\n", "la balise YAML « !!python/object/apply:os.system » n'est "
         "pas acceptée ; écrivez une simple valeur.", 1),
        # Values their explicit tag cannot read, and an integer longer than Python converts: never a traceback.
        *((f"a: {value}\n", f"la valeur « {shown} » n'est pas lisible ; écrivez-la entre guillemets, sans balise "
           "« !!… » devant.", 1) for value, shown in (
            ("!!int abc", "abc"), ("!!int 0x", "0x"), ("!!float abc", "abc"), ("!!bool peut-etre", "peut-etre"),
            ("!!timestamp 2026-02-30", "2026-02-30"), ("9" * 5000, "9" * 40 + "…"))),
    ],
)
def test_yaml_errors_are_french(tmp_path: Path, text: str, message: str | None, line: int) -> None:
    p = tmp_path / "k.yml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_yaml(p)
    if message is not None:
        assert err.value.message == message
    assert err.value.line == line


def test_non_utf8_text_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "part.md"
    p.write_bytes("## Titre\n\nD\u00e9j\u00e0\n".encode("latin-1"))
    with pytest.raises(SourceError) as err:
        read_text(p)
    assert err.value.line == 3
    assert "UTF-8" in err.value.message


def test_bom_is_ignored(tmp_path: Path) -> None:
    p = tmp_path / "part.md"
    p.write_bytes("\ufeff## Titre".encode("utf-8"))
    assert read_text(p) == "## Titre"


def test_load_corpus_reads_registries_and_kits() -> None:
    report = problems.Report(base=FIXTURE.parent)
    corpus = kits.load_corpus(FIXTURE, report)
    assert report.problems == []
    assert [a.id for a in corpus.audiences] == ["associations", "entreprises", "territoires"]
    assert [c.id for c in corpus.challenges] == ["evaluation", "numerique"]
    assert sorted(k.id for k in corpus.kits) == ["kit-a", "kit-b", "kit-c", "kit-d"]
    kit_a = corpus.kit("kit-a")
    assert kit_a is not None
    assert kit_a.mise_a_jour == dt.date(2026, 1, 15)
    assert kit_a.licence == "CC-BY-SA-4.0" and kit_a.statut == "publie"
    assert list(kit_a.sections) == [p.id for p in parts.PARTS]
    assert [k.id for k in corpus.kits_for("associations")] == ["kit-a"]
    assert [k.id for k in corpus.kits_for("associations", drafts=True)] == ["kit-d", "kit-a"]
    assert corpus.figures["maires"].valeur == "87 %"


@pytest.mark.parametrize(
    "title, slug",
    [("Évaluer un partenariat", "evaluer-un-partenariat"), ("L'œuvre d'art !", "l-oeuvre-d-art"),
     ("  RSE & partenariats 2026 ", "rse-partenariats-2026")],
)
def test_slugify(title: str, slug: str) -> None:
    assert kits.slugify(title) == slug


def test_problem_renderings() -> None:
    p = problems.Problem("kits/a/kit.yml", 4, "Texte : à corriger.")
    assert p.text() == "kits/a/kit.yml, ligne 4 : Texte : à corriger."
    assert problems.render_github([p]) == "::error file=kits/a/kit.yml,line=4::Texte : à corriger."
    assert '"ligne"' not in problems.render_json([p]) and '"line": 4' in problems.render_json([p])
    w = problems.Problem("kits/a/methodologie.md", None, "Texte d'aide.", problems.WARNING)
    assert w.text() == "kits/a/methodologie.md : Avertissement — Texte d'aide."
    assert problems.summary(2, 1) == "2 erreurs, 1 avertissement."


def test_core_imports_nothing_from_the_engine() -> None:
    # The kit model, validation and page generation must survive a change of static-site engine.
    import subprocess
    import sys

    code = ("import sys;"
            "import kitcore.kits, kitcore.checks, kitcore.pages, kitcore.search, kitcore.portal, kitcore.archive;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_macros', 'nltk')))")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kit_lookup_is_never_stale() -> None:
    report = problems.Report(base=FIXTURE.parent)
    corpus = kits.load_corpus(FIXTURE, report)
    first = corpus.kit("kit-a")
    assert first is not None and corpus.kit("kit-a") is first
    # Replaced in place (same number of kits), removed, then added back: each lookup sees the list as it is now.
    position = corpus.kits.index(first)
    replacement = kits.load_kit(FIXTURE / "kit-a", problems.Report())
    corpus.kits[position] = replacement
    assert corpus.kit("kit-a") is replacement
    corpus.kits[position] = corpus.kits[-1]
    corpus.kits.pop()
    assert corpus.kit("kit-a") is None
    corpus.kits.insert(0, first)
    assert corpus.kit("kit-a") is first
    assert [corpus.kit(k.id) for k in corpus.kits] == corpus.kits


def test_records_are_dataclasses_built_from_their_fields() -> None:
    # One declaration: the fields of the class body are the record's attributes, in order, with their defaults.
    assert [f.name for f in kits.Resource.fields] == ["titre", "fichier", "description"]
    resource = kits.Resource(titre="Grille", fichier="fichiers/grille.csv")
    assert resource.description is None and resource == kits.Resource(titre="Grille", fichier="fichiers/grille.csv")
    kit_fields = [f.name for f in kits.Kit.fields]
    assert kit_fields[:6] == ["titre", "resume", "publics", "enjeux", "auteurs", "mise_a_jour"]
    a = kits.Kit(id="a", folder=Path("a"), titre="A", resume="R", publics=["x"], enjeux=["y"], auteurs=["Z"],
                 mise_a_jour=dt.date(2026, 1, 1))
    b = kits.Kit(id="b", folder=Path("b"), titre="B", resume="R", publics=["x"], enjeux=["y"], auteurs=["Z"],
                 mise_a_jour=dt.date(2026, 1, 1))
    assert a.statut == "publie" and a.licence == "CC-BY-SA-4.0" and a.voir_aussi == [] and not a.draft
    a.voir_aussi.append("b")
    assert b.voir_aussi == []  # defaults are never shared
    with pytest.raises(TypeError):
        kits.Kit(id="c", folder=Path("c"), titre="C")  # required fields must be given
