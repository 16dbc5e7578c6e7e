"""Reader-facing rules without a browser: audience colours readable, 404 pages, offline links, CSV for Excel."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import colours, csvexport, elsewhere, notfound
from kitcore.engines.material import theme



def test_colour_table_matches_the_installed_material_palette() -> None:
    import material

    sheets = list((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("palette.*.min.css"))
    assert sheets, "feuille de palette de Material introuvable"
    css = sheets[0].read_text(encoding="utf-8")
    found = dict(re.findall(r"\[data-md-color-primary=([a-z-]+)\]\{--md-primary-fg-color:(#[0-9a-f]{6})", css))
    assert found == colours.MATERIAL_PRIMARY


@pytest.mark.parametrize("name", sorted(colours.MATERIAL_PRIMARY))
def test_every_palette_colour_is_made_readable(name: str) -> None:
    c = colours.centre_colours(name)
    for background in colours.BACKGROUNDS:
        assert colours.contrast(c.primary, background) >= colours.TEXT_RATIO, (name, background)
        assert colours.contrast(c.dark, background) >= colours.TEXT_RATIO
    # Darkened only as much as needed: the previous step towards black still failed somewhere.
    if c.darkened:
        steps = [colours.mix(c.original, "#000000", i * colours.STEP) for i in range(int(1 / colours.STEP) + 1)]
        index = steps.index(c.primary)
        assert min(colours.contrast(steps[index - 1], b) for b in colours.BACKGROUNDS) < colours.TEXT_RATIO + colours.MARGIN
    assert c.primary in theme.css_variables(c)


def test_known_failures_of_the_issue_are_fixed() -> None:
    # Material's teal links were 3.76:1 and its green header 2.8:1 against white.
    assert colours.contrast(colours.MATERIAL_PRIMARY["teal"], "#ffffff") < 4.5
    assert colours.contrast(colours.centre_colours("teal").primary, "#ffffff") >= 4.5
    assert colours.contrast(colours.centre_colours("green").primary, "#ffffff") >= 4.5
    assert colours.contrast("#ffffff", "#ffffff") == 1 and round(colours.contrast("#000000", "#ffffff")) == 21


def test_unknown_colour_is_a_french_error() -> None:
    with pytest.raises(ValueError, match="couleur inconnue « fuchsia »"):
        colours.centre_colours("fuchsia")


CENTRES = [notfound.CentreLink("associations", "Associations", "Modèles <associatifs>"),
           notfound.CentreLink("territoires", "Territoires", "Co-construction")]


def test_404_with_site_url_links_absolutely_and_needs_no_script() -> None:
    page = notfound.render_not_found(CENTRES, CENTRES[0], "https://exemple.org/centres/",
                                     colours.centre_colours("teal"))
    assert '<html lang="fr"' in page and "<h1>Page introuvable</h1>" in page
    assert 'href="https://exemple.org/centres/associations/index.html"' in page
    assert 'action="https://exemple.org/centres/associations/index.html"' in page  # the search form
    assert 'href="https://exemple.org/centres/index.html"' in page  # the portal
    assert 'href="https://exemple.org/centres/territoires/index.html"' in page
    assert "<script>" not in page
    assert "Modèles &lt;associatifs&gt;" in page and "<associatifs>" not in page
    # Nothing loaded from elsewhere: inline style, the sites' own icon.
    assert re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]*)"', page) == [
        "https://exemple.org/centres/favicon.svg"]
    assert colours.centre_colours("teal").primary in page


def test_404_without_site_url_finds_the_root_with_a_script() -> None:
    page = notfound.render_not_found(CENTRES)
    assert "<script>" in page and 'data-centres="[&quot;associations&quot;, &quot;territoires&quot;]"' in page
    assert 'href="/associations/index.html"' in page  # without JavaScript: the host's root


def test_links_to_other_centres_carry_their_offline_variant() -> None:
    """Rendered once with both variants: the online link, then the local page's, hidden without CSS too."""
    from kitcore import blocks as b, copies
    from kitcore.engines.material import dialect

    link = b.Link(("Mécénat",), "../../../entreprises/kits/mecenat/index.html", b.LinkKind.OTHER_CENTRE,
                  elsewhere.kit_page_link("mecenat", "kits/un-kit"))
    page = b.Page("kits/un-kit/index.md", "Un kit", (b.Paragraph((link,)),))
    html = dialect.markdown(page)
    assert ('<a class="lien-autre-centre seulement-en-ligne" href="../../../entreprises/kits/mecenat/index.html">'
            'Mécénat</a><span class="seulement-hors-ligne" hidden><a class="lien-autre-centre" '
            'href="../../ailleurs/mecenat.html">Mécénat</a></span>') in html
    assert elsewhere.kit_page_link("mecenat", "") == "ailleurs/mecenat.html"
    # The sanitiser of kit pages keeps what makes the offline variant hidden.
    assert 'hidden=""' in theme.clean_html(html.split("---\n", 2)[2])
    # Each copy's stylesheet hides the other copy's variants.
    assert ".seulement-hors-ligne{display:none!important}" in copies.stylesheet(offline=False).decode()
    offline = copies.stylesheet(offline=True).decode()
    assert ".seulement-en-ligne{display:none!important}" in offline and ".seulement-hors-ligne{display:contents" in offline


def test_csv_gets_one_byte_order_mark() -> None:
    assert csvexport.for_excel("tâches;coût\n".encode()) == b"\xef\xbb\xbf" + "tâches;coût\n".encode()
    assert csvexport.for_excel(csvexport.for_excel(b"a;b\n")) == b"\xef\xbb\xbfa;b\n"


def _order() -> list:
    from kitcore.neighbours import Entry

    def kit(k: str, title: str) -> list:
        return [Entry(f"kits/{k}/index.md", title, k, title)] + [
            Entry(f"kits/{k}/{p}.md", label, k, title) for p, label in (("a", "Partie A"), ("b", "Boîte à outils"))]
    return [Entry("index.md", "Accueil"), Entry("enjeux/un/index.md", "Enjeu un"), *kit("k1", "Premier kit"),
            *kit("k2", "Second kit"), Entry("enjeux/deux/index.md", "Enjeu deux"), *kit("k3", "Troisième kit"),
            Entry("a-propos.md", "À propos")]


def test_previous_and_next_stay_inside_the_kit_and_name_it_when_leaving() -> None:
    from kitcore.neighbours import steps

    order = _order()
    prev, nxt = steps(order, "kits/k2/index.md")
    assert (prev.path, prev.direction, prev.title) == ("kits/k1/index.md", "Kit précédent", "Premier kit")
    assert (nxt.path, nxt.direction, nxt.title) == ("kits/k2/a.md", "Suivant", "Partie A")
    prev, nxt = steps(order, "kits/k2/b.md")
    assert (prev.path, prev.title) == ("kits/k2/a.md", "Partie A")
    assert (nxt.path, nxt.direction, nxt.title) == ("kits/k3/index.md", "Kit suivant", "Troisième kit")
    # Outside kits, kits' parts are stepped over: a challenge page leads to or back from a presentation.
    prev, nxt = steps(order, "enjeux/deux/index.md")
    assert (prev.path, prev.direction, prev.title) == ("kits/k2/index.md", "Kit précédent", "Second kit")
    assert (nxt.path, nxt.title) == ("kits/k3/index.md", "Troisième kit")
    assert steps(order, "kits/k1/index.md")[0] is None  # the first kit has no previous kit
    assert steps(order, "kits/k3/b.md")[1] is None
    assert steps(order, "absent.md") == (None, None)


def test_download_links_get_a_printed_address() -> None:
    from kitcore import printing

    html = ('<a download href="fichiers/grille.csv">Grille</a> <a href="index.html">Kit</a>'
            '<a href="https://ailleurs.org/x.csv" download>X</a>')
    out = printing.with_addresses(html, "kits/k/outils.html", "associations", "https://exemple.org/c/")
    assert ('<a download href="fichiers/grille.csv">Grille</a><span class="adresse-imprimee"> (adresse\u00a0: '
            'https://exemple.org/c/associations/kits/k/fichiers/grille.csv)</span>') in out
    assert out.count(printing.CLASS) == 1  # not after an ordinary link, nor after a remote one
    offline = printing.with_addresses(html, "kits/k/imprimer.html", "associations", None)
    assert "kits/k/fichiers/grille.csv, dans le dossier du centre" in offline


def test_both_variants_of_a_link_to_another_centre_are_indexed_once() -> None:
    """The search index reads the blocks, not the page: the offline variant adds no second entry for the link."""
    from kitcore import checks, pages, search
    from kitcore.engines.material import dialect

    corpus, report = checks.check_kits(ROOT / "tests" / "fixtures" / "corpus")
    assert not report.errors
    home = next(p for p in pages.build_centre(corpus, "territoires").pages if p.path == "kits/kit-c/index.md")
    assert dialect.markdown(home).count(">Évaluer ensemble</a>") == 2  # the online and the offline variant
    title, headings, text = search.page_text(home)
    assert (title + " ".join(headings) + text).count("Évaluer ensemble") == 1
