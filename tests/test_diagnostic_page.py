"""The self-diagnosis in the built centres: its page, data, spreadsheet (recalculated by LibreOffice) and search."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import markdown
import pytest

from conftest import FIXTURES, ROOT, copy_kits, require_program
from kitcore import checks, diagnostic, markup, pages, questionnaire, schema, scoresheet, search
from kitcore.engines.material import dialect, theme

NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
TOOLBOX = schema.SECTIONS[-1][0]


@pytest.fixture(scope="module")
def corpus():
    loaded, report = checks.check_kits(ROOT / "kits")
    assert not report.errors
    return loaded


def declared(corpus) -> list:
    return [k for k in corpus.kits if k.autodiagnostic is not None]


def test_at_least_one_self_diagnosis_per_centre(corpus) -> None:
    assert len(declared(corpus)) >= 5
    for audience in corpus.audiences:
        assert any(audience.id in k.publics for k in declared(corpus)), audience.id


def test_page_data_and_downloads_in_every_centre_of_the_kit(built_site: Path, corpus) -> None:
    for kit in declared(corpus):
        for centre in kit.publics:
            folder = built_site / centre / "kits" / kit.id
            page = (folder / f"{questionnaire.PAGE}.html").read_text(encoding="utf-8")
            assert '<table class="autodiagnostic__grille">' in page  # the paper grid survived the sanitiser
            assert '<script src="autodiagnostic-donnees.js"></script>' in page
            assert '<script src="../../autodiagnostic/autodiagnostic.js"></script>' in page
            assert (built_site / centre / "autodiagnostic" / "autodiagnostic.js").is_file()
            data = json.loads((folder / questionnaire.DATA_FILE).read_text(encoding="utf-8")
                              .removeprefix(f"window.{questionnaire.GLOBAL} = ").removesuffix(";\n"))
            assert [q["id"] for a in data["axes"] for q in a["questions"]] == [q.id for q in kit.autodiagnostic.questions]
            assert data["stockage"] == f"autodiagnostic:{centre}:{kit.id}"
            for name in (questionnaire.ODS_FILE, questionnaire.CSV_FILE):
                assert f'href="{name}"' in page and (folder / name).is_file()
            # Reached from the toolbox, from the kit's presentation and from the navigation.
            for other in (TOOLBOX, "index"):
                assert f'href="{questionnaire.PAGE}.html"' in (folder / f"{other}.html").read_text(encoding="utf-8")
            assert f">{questionnaire.TITLE}<" in (folder / "index.html").read_text(encoding="utf-8")


def test_recommendation_links_resolve_in_the_built_site(built_site: Path, corpus) -> None:
    for kit in declared(corpus):
        centre = kit.publics[0]
        folder = built_site / centre / "kits" / kit.id
        data = json.loads((folder / questionnaire.DATA_FILE).read_text(encoding="utf-8")
                          .removeprefix(f"window.{questionnaire.GLOBAL} = ").removesuffix(";\n"))
        bands = [b for a in data["axes"] for b in a["tranches"]] + data["global"]
        links = [link for b in bands for link in b["liens"]]
        assert links, kit.id
        for link in links:
            assert (folder / link["href"]).resolve().is_file(), (kit.id, link)
        page = (folder / f"{questionnaire.PAGE}.html").read_text(encoding="utf-8")
        for link in links:
            assert f'href="{link["href"]}"' in page  # the no-script reading key carries the same links


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> « Vraiment ? » & </table>"


def test_contributor_text_is_escaped_everywhere(tmp_path: Path) -> None:
    kits = copy_kits(FIXTURES / "offline-kits", tmp_path / "kits")
    text = (ROOT / "tests" / "test_diagnostic.py").read_text(encoding="utf-8")
    base = text[text.index('BASE = """\\\n') + 12:text.index('"""\n', text.index('BASE = """'))]
    base = base.replace("{kit}", "evaluation-partenariale").replace("{part}", TOOLBOX)
    base = base.replace("Se parle-t-on franchement ?", json.dumps(HOSTILE, ensure_ascii=False))
    base = base.replace("Reprenez le dialogue.", json.dumps(HOSTILE, ensure_ascii=False))
    (kits / "evaluation-partenariale" / diagnostic.FILE).write_text(base, encoding="utf-8")
    corpus, report = checks.check_kits(kits)
    assert not report.errors, [p.text() for p in report.errors]
    centre = pages.build_centre(corpus, "associations")
    page = next(p for p in centre.pages if p.path.endswith(f"/{questionnaire.PAGE}.md"))
    content = dialect.markdown(page)
    assert "<script" not in content and "<img" not in content and "</table> " not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    rendered = markdown.markdown(content.split("---\n", 2)[2], extensions=["md_in_html", "attr_list", "tables"])
    cleaned = theme.clean_html(rendered)
    # The sanitiser has nothing to take away from the grid and the key: same tables, cells and links.
    for tag in ("<table", "<td", "<th", "<a "):
        assert cleaned.count(tag) == rendered.count(tag) > 0, tag
    data = next(a for a in centre.assets if a.path.endswith(questionnaire.DATA_FILE)).content.decode("utf-8")
    assert "<" not in data and "\\u003cscript>" in data


def _fill(ods: bytes, labels: list[str]) -> bytes:
    """The .ods with answers typed into the « Votre réponse » cells, in question order, as a reader would."""
    with zipfile.ZipFile(io.BytesIO(ods)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    # Text substitution rather than an XML round trip: ElementTree would drop the « of » namespace declaration,
    # which only formulas use, inside attribute values.
    content = parts["content.xml"].decode("utf-8")
    cells = list(re.finditer(r'<table:table-cell table:content-validation-name="(liste\d+)"/>', content))
    assert len(cells) == len(labels)
    for match, label in reversed(list(zip(cells, labels))):
        if not label:
            continue  # left blank
        filled = (f'<table:table-cell table:content-validation-name="{match.group(1)}" office:value-type="string">'
                  f"<text:p>{html.escape(label)}</text:p></table:table-cell>")
        content = content[:match.start()] + filled + content[match.end():]
    parts["content.xml"] = content.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def answer_sets(d: diagnostic.Diagnostic) -> list[dict[str, int]]:
    """Lowest, highest, and two mixed sets of answers (option indexes)."""
    qs = d.questions
    return [
        {q.id: 0 for q in qs},
        {q.id: len(q.echelle.options) - 1 for q in qs},
        {q.id: i % len(q.echelle.options) for i, q in enumerate(qs)},
        {q.id: (i * 7 + 3) % len(q.echelle.options) for i, q in enumerate(qs)},
    ]


def test_spreadsheet_holds_formulas_that_libreoffice_recalculates_like_the_page(tmp_path: Path, corpus) -> None:
    soffice = require_program("soffice", "sudo apt-get install libreoffice-calc-nogui")
    expected = {}
    for kit in declared(corpus):
        d = kit.autodiagnostic
        ods = scoresheet.workbook(d, lambda link: link.kit)
        content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml").decode("utf-8")
        assert 'table:formula="of:=IF(' in content and "SUMPRODUCT(" in content
        assert content.count("table:content-validation ") == len(d.questions)  # a drop-down list per question
        for n, chosen in enumerate(answer_sets(d)):
            labels = [q.echelle.options[chosen[q.id]].libelle for q in d.questions]
            name = f"{kit.id}-{n}"
            (tmp_path / f"{name}.ods").write_bytes(_fill(ods, labels))
            expected[name] = (d, diagnostic.score(d, chosen))
    # One LibreOffice for every file: each sheet of each file becomes a CSV (filter option -1: all sheets).
    result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profil",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1",
                             "--outdir", str(tmp_path / "csv"), *sorted(str(p) for p in tmp_path.glob("*.ods"))],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name, (d, scores) in expected.items():
        sheet = (tmp_path / "csv" / f"{name}-{scoresheet.RESULTS_SHEET}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(sheet), delimiter=";"))
        lines = [(a.titre, scores.axes[a.id]) for a in d.axes] + ([("Score global", scores.overall)] if d.bands else [])
        for i, (title, score) in enumerate(lines, 1):
            row = rows[i]
            assert row[0] == title
            assert float(row[3]) == pytest.approx(score.hundredths / 100), (name, title)
            assert row[5] == score.band.titre, (name, title)
            assert row[6].startswith(score.band.recommandation), (name, title)


def test_unanswered_spreadsheet_shows_what_is_missing(tmp_path: Path, corpus) -> None:
    soffice = require_program("soffice", "sudo apt-get install libreoffice-calc-nogui")
    d = declared(corpus)[0].autodiagnostic
    ods = scoresheet.workbook(d, lambda link: link.kit)
    labels = [q.echelle.options[0].libelle for q in d.questions]
    labels[0] = ""  # the first question left unanswered
    (tmp_path / "vide.ods").write_bytes(_fill(ods, labels))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profil", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1", "--outdir",
                    str(tmp_path), str(tmp_path / "vide.ods")], capture_output=True, check=True, timeout=300)
    rows = list(csv.reader(io.StringIO((tmp_path / f"vide-{scoresheet.RESULTS_SHEET}.csv").read_text(encoding="utf-8")),
                           delimiter=";"))
    first = rows[1]
    assert first[0] == d.axes[0].titre and first[3] == "" and first[5] == scoresheet.INCOMPLETE
    assert rows[2][5] == diagnostic.score(d, {q.id: 0 for q in d.questions}).axes[d.axes[1].id].band.titre


def test_paper_grid_csv(corpus) -> None:
    d = next(k for k in declared(corpus) if k.id == "diversifier-ses-ressources").autodiagnostic
    text = scoresheet.paper_grid(d, lambda link: link.kit)
    assert text.startswith("\ufeffaxe;n°;question;")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["La pertinence de la piste", "1", "La ressource sert-elle la mission sans la détourner ?",
                       "1 : elle éloigne de la mission ; 4 : elle renforce la mission.",
                       "1 — défavorable (1) · 2 — plutôt défavorable (2) · 3 — plutôt favorable (3) · 4 — favorable (4)",
                       "3", ""]
    assert ["La pertinence de la piste", "9", "18", "Une piste éloignée du projet"] == rows[len(d.questions) + 3][:4]


def test_search_leads_to_the_self_diagnosis(built_site: Path, corpus) -> None:
    from lunr.index import Index

    from kitcore import french

    kit = next(k for k in declared(corpus) if k.id == "reussir-sa-transformation-numerique")
    centre = kit.publics[0]
    raw = (built_site / centre / search.FOLDER / search.INDEX_FILE).read_text(encoding="utf-8")
    data = json.loads(raw.removeprefix(f"window.{search.GLOBAL} = ").rstrip().removesuffix(";"))
    url = f"kits/{kit.id}/{questionnaire.PAGE}.html"
    [doc] = [i for i, d in enumerate(data["docs"]) if d["u"] == url]
    assert data["docs"][doc]["p"] == questionnaire.TITLE
    index = Index.load(data["index"])
    question = kit.autodiagnostic.questions[3].texte  # « Les sauvegardes et la sécurité des accès … »
    advice = kit.autodiagnostic.axes[0].bands[0].recommandation  # « … dispersés … »
    for words in ("sauvegardes sécurité accès", "outils dispersés plus risqué"):
        assert any(w in f"{question} {advice}" for w in words.split())
        hits = [int(h["ref"]) for h in index.search(" ".join(f"+{t}" for t in french.terms(words)))]
        assert doc in hits[:3], (words, [data["docs"][h]["u"] for h in hits[:5]])
