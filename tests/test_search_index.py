"""The search index built at build time: documents from the pages, lunr serialisation, portal merge, and a query
through the vendored lunr.js in node (the browser's code path, without a browser)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import require_program

from kitcore import checks, french, pages, parts, search

ROOT = Path(__file__).resolve().parent.parent
KITS = ROOT / "tests" / "fixtures" / "search-kits"


@pytest.fixture(scope="module")
def corpus():
    loaded, report = checks.check_kits(KITS)
    assert not report.errors, [p.text() for p in report.errors]
    return loaded


@pytest.fixture(scope="module")
def documents(corpus) -> list[search.Document]:
    return search.centre_documents(pages.build_centre(corpus, "associations"), corpus, ROOT / "docs")


def test_plain_text_keeps_words_and_drops_markup() -> None:
    title, headings, text = search.plain_text(
        '---\ntitle: "X"\n---\n\n<p class="kit-context">Kit : <a href="index.html">Le kit</a></p>\n\n# Méthodologie\n\n'
        "## Les **étapes**\n\nVoir [la grille](fichiers/grille.csv){ download } :material-download: et "
        "![schéma](fichiers/schema.svg).\n\n| Colonne | Valeur |\n|---|---|\n| a | b |\n\n"
        '!!! note "À retenir"\n    Un {{ chiffre(\'x\') }} &amp; deux.\n'
    )
    assert title == "Méthodologie"
    assert len(headings) == 1 and "étapes" in headings[0]
    for word in ("la grille", "schéma", "Colonne", "À retenir", "& deux"):
        assert word in text
    for noise in ("fichiers", "csv", "download", "material", "kit-context", "Le kit", "chiffre", "---", "title"):
        assert noise not in text


def test_excerpt_is_cut_on_a_word() -> None:
    assert search.excerpt("court") == "court"
    long = "mot " * 100
    cut = search.excerpt(long, 20)
    assert cut.endswith(" …") and len(cut) <= 22 and not cut[:-2].endswith(" ")


def test_every_page_of_the_centre_is_a_document(documents: list[search.Document]) -> None:
    urls = {d.url for d in documents}
    assert "index.html" in urls and "a-propos.html" in urls
    assert "enjeux/evaluation/index.html" in urls
    for kit in ("evaluer-un-partenariat", "choisir-son-mode-d-evaluation", "hybrider-son-modele", "mobiliser-les-benevoles"):
        for name in ("index", *(p.id for p in parts.PARTS)):
            assert f"kits/{kit}/{name}.html" in urls
    assert not any("mecenat-de-competences" in u for u in urls)  # not a kit of this centre


def test_kit_documents_name_kit_and_part(documents: list[search.Document]) -> None:
    by_url = {d.url: d for d in documents}
    home = by_url["kits/evaluer-un-partenariat/index.html"]
    assert (home.titre, home.partie, home.kit) == ("Évaluer un partenariat", "Présentation du kit", "evaluer-un-partenariat")
    assert home.extrait.startswith("Une démarche pas à pas")
    assert "Grille d'évaluation partenariale" in home.fields["texte"]  # its downloads are searchable
    assert "Licence" not in home.fields["texte"]  # the metadata table is not
    part = by_url["kits/evaluer-un-partenariat/methodologie.html"]
    assert (part.titre, part.partie) == ("Évaluer un partenariat", "Méthodologie")
    assert part.fields["kit"] == "Évaluer un partenariat" and "comité de suivi" in part.fields["texte"]
    assert "Par " not in part.extrait  # the byline is not an excerpt
    challenge = by_url["enjeux/evaluation/index.html"]
    assert (challenge.titre, challenge.partie) == ("Évaluation", "Enjeu")


def test_index_is_lunr_serialisation_of_french_terms(documents: list[search.Document]) -> None:
    data = search.payload(documents)
    index = data["index"]
    assert index["version"] == "2.3.9" and index["pipeline"] == []
    assert [f for f, _ in search.FIELDS] == index["fields"]
    terms = {term for term, _ in index["invertedIndex"]}
    assert {"evalu", "hybrid", "benevol", "parten"} <= terms
    assert not terms & {"evaluation", "l", "de", "la", "hybridation"}  # stemmed, stop words gone
    assert len(data["docs"]) == len(documents) and data["docs"][0]["u"] == documents[0].url
    script = search.index_script(data)
    assert script.startswith("window.RECHERCHE_INDEX = {") and script.endswith("};\n")
    assert json.loads(script[len("window.RECHERCHE_INDEX = "):-2]) == data


def test_python_query_ranks_titles_first(documents: list[search.Document]) -> None:
    from lunr.index import Index

    index = Index.load(search.build_index(documents))
    hits = index.query(index.create_query().term(french.terms("bénévolat")[0]))
    first = documents[int(hits[0]["ref"])]
    assert (first.kit, first.partie) == ("mobiliser-les-benevoles", "Présentation du kit")


def test_portal_merges_shared_kits_and_labels_centres(corpus) -> None:
    docs = search.portal_documents(corpus, [a.id for a in corpus.audiences])
    homes = [d for d in docs if d.url == "kits/mecenat-de-competences/index.html"]
    assert len(homes) == 1 and homes[0].centres == ["entreprises", "fondations"]
    centre_homes = [d for d in docs if d.url == "index.html"]
    assert sorted(c for d in centre_homes for c in d.centres) == sorted(a.id for a in corpus.audiences)
    assert {d.partie for d in centre_homes} == {"Accueil du centre"}
    assert not any(d.url.endswith("a-propos.html") for d in docs)


def test_portal_writes_index_and_assets(corpus, tmp_path: Path) -> None:
    target = search.write_portal_search(corpus, tmp_path, ["associations", "territoires"])
    assert target == tmp_path / "recherche" / "index.js"
    for name in search.ASSET_FILES:
        assert (tmp_path / "recherche" / name).is_file()
    data = json.loads(target.read_text(encoding="utf-8")[len("window.RECHERCHE_INDEX = "):-2])
    assert data["centres"] == {"associations": "Associations", "territoires": "Territoires"}
    box = search.search_box(".")
    assert 'id="recherche-champ"' in box and 'data-recherche-base="./"' in box and "index.js" not in box


def test_lunr_js_loads_the_index_and_finds_french_forms(documents: list[search.Document], tmp_path: Path) -> None:
    node = require_program("node", "sudo apt-get install nodejs")
    (tmp_path / "index.js").write_text(search.index_script(search.payload(documents)), encoding="utf-8")
    script = """
    const web = process.argv[1], idx = process.argv[2];
    global.window = global;
    global.lunr = require(web + '/lunr.min.js');
    const F = require(web + '/french.js');
    require(idx);
    const index = lunr.Index.load(window.RECHERCHE_INDEX.index);
    const out = {};
    for (const q of JSON.parse(process.argv[3])) {
      const terms = F.terms(q);
      out[q] = index.query(b => terms.forEach(t => b.term(t, {presence: lunr.Query.presence.REQUIRED})))
        .map(r => window.RECHERCHE_INDEX.docs[Number(r.ref)].k || null);
    }
    console.log(JSON.stringify(out));
    """
    queries = ["evaluation", "Évaluations", "l'hybridation", "benevolat", "xylophone"]
    proc = subprocess.run([node, "-e", script, str(search.WEB_DIR), str(tmp_path / "index.js"), json.dumps(queries)],
                          capture_output=True, text=True, check=True)
    found = json.loads(proc.stdout)
    assert found["evaluation"] == found["Évaluations"] and "evaluer-un-partenariat" in found["evaluation"]
    assert "hybrider-son-modele" in found["l'hybridation"]
    assert found["benevolat"][0] == "mobiliser-les-benevoles"
    assert found["xylophone"] == []


def test_the_index_built_from_terms_is_the_one_lunr_builds(documents) -> None:
    # search.TermsBuilder skips lunr's tokenizer (terms are already made): every posting, vector and token set
    # must stay what lunr's own Builder makes of the same terms.
    from lunr.builder import Builder

    stock = Builder()
    stock.ref("id")
    for name, boost in search.FIELDS:
        stock.field(name, boost=boost)
    for i, doc in enumerate(documents):
        stock.add({"id": str(i), **{name: french.terms(doc.fields.get(name, "")) for name, _ in search.FIELDS}})
    assert len(documents) > 10
    assert search.build_index(documents) == stock.build().serialize()
