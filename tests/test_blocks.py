"""The typed page model: the core emits blocks, Material's dialect and the documents' plain Markdown write them,
the search reads them (issue #13, item 1)."""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from kitcore import blocks as b
from kitcore import checks, pages, search, writer
from kitcore.engines.material import dialect

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"
NBSP, NNBSP = "\u00a0", "\u202f"

EVERY_BLOCK = b.Page("kits/k/methodologie.md", "Méthodologie", (
    b.Breadcrumb(("Kit\u00a0: ", b.Link((b.Literal("Le *kit*"),), "index.html"))),
    b.Heading(1, ("Méthodologie",)),
    b.Byline(("Rédaction\u00a0: ", b.Literal("Ada & Cie"))),
    b.Notice("Brouillon", "Ce kit est un brouillon."),
    b.Paragraph((b.Icon(b.IconName.PRINT), " ", b.Link(("Imprimer",), "imprimer.md"))),
    b.KitMarkdown("## Étape un\n\nTexte du **contributeur**."),
    b.Cards((b.Card(b.Literal("Carte"), "kits/c/index.md", b.Literal("Résumé"), "2 kits", "brouillon"),)),
    b.Division("kit-fiche", (b.Definitions((b.Definition("Licence", (b.Link(("CC BY 4.0",), "../../licence.md"),)),)),)),
    b.Downloads((b.Download(b.Literal("Grille"), "fichiers/g.csv", "CSV, 1 Ko", b.Literal("à remplir"),
                            (("version tableur ODS", "fichiers/g.ods"),)),)),
    b.ItemList(((b.Link((b.Literal("Autre kit"),), "../../../x/kits/o/index.html", b.LinkKind.OTHER_CENTRE,
                        "../../ailleurs/o.html"), " ",
                 b.Small(("(centre X)",))),)),
), kit="k", full_title="Méthodologie — Le kit", part="Méthodologie")


def test_material_dialect_writes_each_block_in_materials_syntax() -> None:
    text = dialect.markdown(EVERY_BLOCK)
    head, body = text.split("---\n", 2)[1:]
    assert head == ('title: "Méthodologie — Le kit"\nrender_macros: false\nkit: "k"\npartie: "Méthodologie"\n')
    for expected in ('!!! warning "Brouillon"\n    Ce kit est un brouillon.', ":material-printer: [Imprimer](imprimer.md)",
                     '<div class="grid cards" markdown>', "-   **[Carte](kits/c/index.md)** *(brouillon)*",
                     '<div class="kit-fiche" markdown>', "Licence\n:   [CC BY 4.0](../../licence.md)",
                     "- :material-download: [Grille](fichiers/g.csv){ download } (CSV, 1 Ko) · "
                     "[version tableur ODS](fichiers/g.ods){ download } — à remplir",
                     '<a class="lien-autre-centre seulement-en-ligne" href="../../../x/kits/o/index.html">Autre kit</a>'
                     '<span class="seulement-hors-ligne" hidden><a class="lien-autre-centre" href="../../ailleurs/o.html">'
                     'Autre kit</a></span> <small>(centre X)</small>',
                     "## Étape un\n\nTexte du **contributeur**."):
        assert expected in body, expected
    # Kit text is shown as written: its marks escaped in Markdown, HTML-escaped inside an HTML element.
    assert 'Kit\u00a0: <a href="index.html">Le *kit*</a>' in body and "Ada &amp; Cie" in body


def test_the_documents_markdown_has_none_of_materials_syntax() -> None:
    text = writer.markdown(EVERY_BLOCK)
    # Documents have no offline copy: a link to another centre has one variant, with no class to pick it.
    for material in ("---\n", "render_macros", ":material-", "{ download }", "!!! ", "grid cards", "seulement-"):
        assert material not in text, material
    html = markdown.markdown(text, extensions=["md_in_html", "def_list"])
    assert '<a href="fichiers/g.csv">Grille</a> (CSV, 1 Ko)' in html and "<strong>Brouillon</strong>" in html


def test_search_reads_the_blocks_not_the_markup() -> None:
    title, headings, text = search.page_text(EVERY_BLOCK)
    assert title == "Méthodologie" and headings == ["Étape un"]
    for word in ("Brouillon", "Imprimer", "contributeur", "Carte", "Résumé", "Grille (CSV, 1 Ko)", "à remplir",
                 "Autre kit (centre X)", "CC BY 4.0"):
        assert word in text, word
    for noise in ("Ada", "Le *kit*", "material", "download", "**", "<small>", "grid", "kit-fiche"):
        assert noise not in text, noise  # byline and breadcrumb are not the page's words; no markup


@pytest.fixture(scope="module")
def corpus():
    loaded, report = checks.check_kits(FIXTURE)
    assert report.problems == []
    return loaded


def test_centre_pages_are_typed_blocks_and_their_navigation_typed(corpus) -> None:
    centre = pages.build_centre(corpus, "associations")
    assert all(isinstance(p, b.Page) and p.blocks and not hasattr(p, "content") for p in centre.pages)
    assert all(isinstance(item, (b.NavPage, b.NavSection)) for item in centre.nav)
    assert centre.nav[0] == b.NavPage("index.md", "Accueil")
    part = next(p for p in centre.pages if p.path == "kits/kit-a/methodologie.md")
    assert [type(x).__name__ for x in part.blocks[:3]] == ["Breadcrumb", "Heading", "Byline"]
    assert any(isinstance(x, b.KitMarkdown) for x in part.blocks)


def test_titles_from_yaml_keep_their_french_spacing_once_escaped(corpus) -> None:
    corpus.kit("kit-a").titre = "Évaluer : pourquoi ?"
    page = next(p for p in pages.build_centre(corpus, "associations").pages if p.path == "kits/kit-a/index.md")
    body = dialect.markdown(page).split("---\n", 2)[2]
    assert f"# Évaluer{NBSP}&#58; pourquoi{NNBSP}?" in body


def test_extra_documents_are_offered_on_the_kit_home(corpus) -> None:
    pdf = b.Download("Le kit en PDF", "evaluer-ensemble.pdf", "PDF, 1,2 Mo")
    centre = pages.build_centre(corpus, "associations", documents={"kit-a": [pdf]})
    home = next(p for p in centre.pages if p.path == "kits/kit-a/index.md")
    assert b.Downloads((pdf,)) in home.blocks
    text = dialect.markdown(home)
    assert "## Télécharger ce kit\n" in text
    assert "- :material-download: [Le kit en PDF](evaluer-ensemble.pdf){ download } (PDF, 1,2 Mo)" in text
    plain = pages.build_centre(corpus, "associations")
    assert "Télécharger ce kit" not in dialect.markdown(next(p for p in plain.pages if p.path == home.path))


def test_front_matter_says_what_the_theme_hides(corpus) -> None:
    centre = pages.build_centre(corpus, "associations")
    by_path = {p.path: p for p in centre.pages}
    assert 'hide: ["toc"]' in dialect.markdown(by_path["index.md"])
    assert 'hide: ["navigation", "toc"]' in dialect.markdown(by_path["kits/kit-a/imprimer.md"])
    assert "hide:" not in dialect.markdown(by_path["kits/kit-a/methodologie.md"])
    # The theme prints the title unescaped: the dialect escapes it.
    assert dialect.front_matter(b.Page("a.md", 'Un <b>"titre"</b>', ())).startswith(
        '---\ntitle: "Un &lt;b&gt;&quot;titre&quot;&lt;/b&gt;"\n')
