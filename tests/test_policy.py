"""docs/contenus-autorises.md, rule by rule: each rule in bold on that page has its test here, named after it.

The tests call the checks and the sanitiser directly (fast); the hostile kits of test_hostile.py exercise the same
rules end to end, through `make check`, `make build` and Chromium.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
import urllib.error
import urllib.request
import zipfile
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT
from hostile_kits import DOCUMENTS, make_tree
from kitcore import archive, attachments, checks, documents, figures, markup, pages, references, reserved, spans
from kitcore import spreadsheet
from kitcore.engines.material import dialect, theme
from kitcore.kits import Figure
from kitcore.sources import SourceError, load_yaml, read_text
from preview.channel import Reply
from preview.server import Handler

POLICY = ROOT / "docs" / "contenus-autorises.md"
RULES: dict[str, str] = {}  # rule in bold on the policy page → the test that holds it


def rule(text: str):
    """Register the decorated test as the one holding this rule of the policy page."""
    def register(test):
        RULES[text] = test.__name__
        return test
    return register


def test_every_rule_of_the_page_has_its_test() -> None:
    page = POLICY.read_text(encoding="utf-8")
    assert re.findall(r"\*\*(.+?)\*\*", page) == list(RULES)


def _messages(tmp_path: Path, cases: list[str]) -> list[str]:
    _, report = checks.check_kits(make_tree(tmp_path / "kits", cases))
    return [p.text() for p in report.sorted()]


def _clean(html: str) -> str:
    return theme.clean_html(html)


def _ok(target: str, image: bool = False) -> bool:
    return references.problem(references.Reference(1, target, image), {"methodologie.md"})[0] != "error"


# Mise en forme conservée

@rule("Tout le Markdown habituel est conservé")
def test_tout_le_markdown_habituel_est_conserve() -> None:
    kept = ['<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>',
            '<div class="admonition note"><p class="admonition-title">Note</p></div>',
            '<details class="tip"><summary>Titre</summary><p>x</p></details>',
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
            '<abbr title="Économie sociale et solidaire">ESS</abbr>', "<mark>m</mark>", "<kbd>Ctrl</kbd>",
            "H<sub>2</sub>O", '<img alt="Schéma" src="fichiers/schema.png">', '<a href="https://example.org/">w</a>',
            '<a href="mailto:contact@example.org">m</a>', '<a href="methodologie.html">p</a>',
            '<input type="checkbox" disabled="" checked="">', '<figure><figcaption>l</figcaption></figure>',
            '<p class="x" id="y" title="t" lang="fr" dir="ltr">p</p>', '<a class="md-button" href="#a">b</a>']
    for html in kept:
        cleaned = _clean(html).replace(' rel="noopener noreferrer"', "")
        assert cleaned == html, html
    for target in ("https://example.org/", "http://example.org/", "mailto:a@example.org", "methodologie.md",
                   "fichiers/grille.csv"):
        assert _ok(target), target
    assert _ok("fichiers/schema.png", image=True)


# Contenus retirés ou refusés

@rule("Aucun gabarit n'est exécuté.")
def test_aucun_gabarit_n_est_execute(tmp_path: Path) -> None:
    figs = {"x": Figure(id="x", valeur="12 %", libelle="une part", source="une source", annee="2017", nature="observation")}
    text = "A {{ chiffre('x') }} B {{ source('x') }} {{ 6*7 }} {% for i in range(3) %}z{% endfor %}"
    expansion = figures.expand_figures(text, figs)
    assert expansion.text.startswith("A 12 %[^chiffre-x] B une source {{ 6*7 }} {% for i in range(3) %}z{% endfor %}")
    assert [snippet for _, snippet in expansion.literal] == ["{{ 6*7 }}", "{% for i in range(3) %}", "{% endfor %}"]
    messages = _messages(tmp_path, ["gabarit-partie"])
    assert any("ressemble à une instruction de gabarit qui n'est pas reconnue" in m for m in messages)
    assert not any(" : Avertissement" not in m and "gabarit" in m for m in messages)  # warnings, not errors


@rule("Pas d'en-tête de métadonnées dans une partie.")
def test_pas_d_en_tete_de_metadonnees_dans_une_partie(tmp_path: Path) -> None:
    messages = _messages(tmp_path, ["gabarit-front-matter", "partie-front-matter-espaces"])
    refused = [m for m in messages if "en-tête de métadonnées" in m]
    assert refused == [
        "kits/gabarit-front-matter/cadre-de-reference.md, ligne 1 : La partie commence par un en-tête de métadonnées "
        "(« --- »), qui n'est pas accepté : les métadonnées du kit se trouvent dans kit.yml ; retirez ces lignes, du "
        "premier « --- » jusqu'à celui qui les ferme.",
        "kits/partie-front-matter-espaces/methodologie.md, ligne 3 : La partie commence par un en-tête de métadonnées "
        "(« --- »), qui n'est pas accepté : les métadonnées du kit se trouvent dans kit.yml ; retirez ces lignes, du "
        "premier « --- » jusqu'à celui qui les ferme.",
    ]


@rule("HTML actif retiré")
def test_html_actif_retire() -> None:
    with_content = ["script", "style", "iframe", "object", "template", "math", "select", "textarea"]
    for tag in with_content:
        assert _clean(f"<p>a<{tag}>secret</{tag}>b</p>") == "<p>ab</p>", tag
    assert _clean('<p>a<embed src="x.swf">b</p>') == "<p>ab</p>"  # a void element: nothing inside
    for tag in ("form", "button", "base", "meta", "link"):
        assert f"<{tag}" not in _clean(f"<p><{tag} href=x>texte</{tag}></p>"), tag
    assert _clean('<input type="text" name="x"><input><input type="password">') == ""
    assert _clean('<input type="checkbox" checked>') == '<input type="checkbox" checked="">'
    assert _clean('<p style="color:red" onclick="alert(1)" onmouseover="x">p</p>') == "<p>p</p>"
    assert _clean('<div id="__config">x</div><label for="__search">l</label>') == "<div>x</div><label>l</label>"
    assert _clean('<div class="mermaid md-sidebar md-button note">x</div>') == '<div class="md-button note">x</div>'
    warned = references.find_stripped_html(
        '<script>x</script> <p style="x" onclick="y" class="mermaid" id="__x"> <input type="text"> <form>', markup.TAGS,
        theme.SANITISER)
    words = " ".join(message for _, message in warned)
    for what in ("<script>", "« style »", "« onclick »", "« mermaid »", "« __x »", '<input type="text">', "<form>"):
        assert what in words, what


# Each line hides itself or shows in one copy only; the number is its line in the part.
COPY_MARKUP = [
    '<span hidden>caché</span>',
    '<SPAN HIDDEN="">caché</SPAN>',
    "<p hidden='hidden'>caché</p>",
    '<span class="note seulement-hors-ligne">hors ligne seulement</span>',
    "<span class='seulement-en-ligne'>en ligne seulement</span>",
    '<span class="seulement&#45;hors-ligne">entité</span>',
    '- une liste <span class="Seulement-En-Ligne">x</span>',
    '> une citation <span\n  hidden>x</span>',
    "Un paragraphe en accolades.{: .seulement-hors-ligne }",
    "[un lien](methodologie.md){ hidden }",
]


@rule("Rien de caché, rien d'une seule copie")
def test_rien_de_cache_rien_d_une_seule_copie(tmp_path: Path) -> None:
    import shutil

    kits = tmp_path / "kits"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", kits)
    part = kits / "kit-a" / "methodologie.md"
    head = part.read_text(encoding="utf-8").rstrip("\n").split("\n")
    body = ["", "`<span hidden>` en code : montré, pas lu ; ```seulement-en-ligne``` de même.", ""]
    expected = []
    for case in COPY_MARKUP:
        expected.append(len(head) + len(body) + 1)
        body += case.split("\n") + [""]
    part.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    _, report = checks.check_kits(kits)
    mine = [p for p in report.errors if p.file.endswith("kit-a/methodologie.md")]
    assert sorted({p.line for p in mine}) == expected, [p.text() for p in mine]
    for problem in mine:
        assert problem.text().startswith(f"{problem.file}, ligne {problem.line} : "), problem.text()
        assert "Retirez-l" in problem.text() and "Contenus autorisés" in problem.text(), problem.text()
    assert len(mine) == len(COPY_MARKUP), "une erreur par ligne, pas deux"
    assert not [p for p in report.errors if p not in mine]


@rule("Dessins SVG dans le texte réduits au tracé.")
def test_dessins_svg_dans_le_texte_reduits_au_trace() -> None:
    html = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" onload="alert(1)" style="x">'
            '<path d="M0 0h24" fill="url(https://pisteur.example/a)" onclick="x"></path>'
            '<circle r="2"></circle><image href="https://pisteur.example/i.png"></image><a href="javascript:x">l</a></svg>')
    assert _clean(html) == ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24"></path>'
                            '<a rel="noopener noreferrer">l</a></svg>')


@rule("Adresses refusées")
def test_adresses_refusees() -> None:
    for target in ("javascript:alert(1)", "JaVaScRiPt:x", "java&#x09;script:x", "&#106;avascript:x", "data:text/html,x",
                   "vbscript:x", "ftp://example.org/", "//pisteur.example/", "/etc/passwd", "C:/Windows",
                   "../../autre-kit/x.csv", "fichiers\\x.csv"):
        assert not _ok(target), target
    text = ("> [q]: //a.example\n- [l]: /etc/passwd\n!!! note\n    [e]: javascript:x\n[n]:\n  //b.example\n"
            "[deux\nlignes](//c.example) <a href=\"//d.example\">h</a>\n")
    found = {r.target for r in references.find_references(text)}
    assert {"//a.example", "/etc/passwd", "javascript:x", "//b.example", "//c.example", "//d.example"} <= found
    # What escaped the check loses its address in the page.
    for href in ("javascript:alert(1)", "//pisteur.example/", "/etc/passwd", "vbscript:x"):
        assert "href" not in _clean(f'<a href="{href}">x</a>'), href


@rule("Images distantes refusées")
def test_images_distantes_refusees() -> None:
    for target in ("https://pisteur.example/p.png", "http://pisteur.example/p.png", "//pisteur.example/p.png",
                   "data:image/png;base64,AAAA"):
        assert not _ok(target, image=True), target
    refs = references.find_references("![x][logo]\n\n[logo]: https://pisteur.example/p.png\n")
    assert references.Reference(3, "https://pisteur.example/p.png", True) in refs
    assert _clean('<img alt="x" src="https://pisteur.example/p.png">') == '<img alt="x">'


@rule("Les textes des fiches s'affichent tels quels.")
def test_les_textes_des_fiches_s_affichent_tels_quels(tmp_path: Path) -> None:
    corpus, report = checks.check_kits(make_tree(tmp_path / "kits", ["titres-markdown"]))
    assert not report.errors
    centre = pages.build_centre(corpus, "associations")
    home = dialect.markdown(next(p for p in centre.pages if p.path == "kits/titres-markdown/index.md"))
    body = home.split("\n---\n", 1)[1]
    assert "# Kit &#42;&#42;gras&#42;&#42; &#58;material-alert&#58; &#91;clic&#93;(https&#58;//pisteur.example/) &#38;amp; C&#35;" in body
    # French spacing is applied (a narrow no-break space before « ? »), and kept by the escaping.
    assert "&#45; une liste\u202f?" in body and "2024\\. Une année &#123;&#58; onclick=alert(1) &#125; &#33;&#91;x&#93;" in body
    assert "&#96;code&#96; &#95;italique&#95; &#42;&#91;ABBR&#93;&#58; sigle" in body
    # Registry texts too: a figure's value, label and source are text wherever a kit cites them.
    figs = {"x": Figure(id="x", valeur="![x](#){: onerror=alert(1) }", libelle="[clic](javascript:x)", source="<img src=x>", annee="2017", nature="observation")}
    expanded = figures.expand_figures("{{ chiffre('x') }}", figs).text
    assert "![" not in expanded and "](" not in expanded and "<img" not in expanded and "{:" not in expanded
    # Titles the theme prints (<title>, navigation, <meta>) cannot open a tag.
    assert dialect.template_text('a<script>"') == "a&lt;script&gt;&quot;"


# Fichiers du kit

@rule("dans le dossier du kit")
def test_dans_le_dossier_du_kit(tmp_path: Path) -> None:
    for relative in ("../x.csv", "/etc/passwd", "C:/Windows/win.ini", "fichiers\\x.csv", "fichiers/a\x01.csv"):
        assert attachments.check_path(tmp_path, relative)[0] is None, relative
    assert attachments.check_path(tmp_path, "fichiers/grille.csv")[0] == tmp_path / "fichiers" / "grille.csv"


@rule("aucun lien symbolique")
def test_aucun_lien_symbolique(tmp_path: Path) -> None:
    messages = _messages(tmp_path, ["ressource-lien-interne", "fichiers-lien", "partie-lien", "kit-yml-lien"])
    assert sum("lien symbolique" in m for m in messages) == 6


@rule("nom simple")
def test_nom_simple() -> None:
    for name in ("fichiers/ma grille.csv", "fichiers/.htaccess", "fichiers/(x).csv", "fichiers/_x.csv"):
        assert attachments.check_name(name), name
    assert attachments.check_name("fichiers/grille-2026_v2.csv") is None


@rule("type accepté")
def test_type_accepte(tmp_path: Path) -> None:
    for name in ("page.html", "page.HTM", "notes.md", "notes.markdown", "app.js", "vieux.doc", "archive.zip", "LISEZMOI"):
        path = tmp_path / name
        path.write_text("x", encoding="utf-8")
        assert attachments.inspect(path, name) is not None, name
    assert "serait publié comme une page" in attachments.inspect(tmp_path / "notes.md", "notes.md").reason
    fake = tmp_path / "image.png"
    fake.write_text("<html>", encoding="utf-8")
    assert "ne correspond pas à l'extension" in attachments.inspect(fake, "image.png").reason
    assert attachments.DOCUMENTS == {".pdf", ".odt", ".ods", ".odp", ".odg", ".docx", ".xlsx", ".pptx", ".csv", ".txt"}
    assert attachments.IMAGES == {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@rule("seulement s'il s'agit d'un dessin simple")
def test_seulement_s_il_s_agit_d_un_dessin_simple() -> None:
    refused = ["<script>alert(1)</script>", "<foreignObject><p>x</p></foreignObject>", "<style>rect{}</style>",
               '<image href="x.png"/>', '<animate attributeName="href"/>', '<a href="#x"><rect/></a>',
               '<rect onload="alert(1)"/>', '<rect xmlns:e="urn:e" e:x="1"/>', '<use href="https://pisteur.example/#a"/>',
               '<use xlink:href="other.svg#a"/>']
    for body in refused:
        assert attachments.svg_problem(SVG.format(body).encode()), body
    assert attachments.svg_problem(b'<?xml-stylesheet href="x.css"?>' + SVG.format("").encode())
    assert attachments.svg_problem(b'<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG.format("").encode())
    plain = '<g><path d="M0 0"/><rect width="1" height="1" fill="url(#g)"/><text>t</text><use href="#p"/></g>'
    assert attachments.svg_problem(SVG.format(plain).encode()) is None


@rule("prendre la place d'aucune page ni d'aucun fichier produits par le site")
def test_prendre_la_place_d_aucune_page_ni_d_aucun_fichier_produits_par_le_site() -> None:
    taken = ["index.md", "INDEX.HTML", "methodologie.md", "imprimer.html", "fichiers/grille.ods", "mon-kit.pdf",
             "Mon-Kit.EPUB"]
    found = dict(reserved.collisions(taken, ["fichiers/grille.csv"], "mon-kit"))
    assert sorted(found) == sorted(taken)
    assert "la version tableur (.ods)" in found["fichiers/grille.ods"]
    assert "le kit en PDF" in found["mon-kit.pdf"] and "le kit en EPUB" in found["Mon-Kit.EPUB"]
    twins = dict(reserved.collisions(["fichiers/Grille.csv", "fichiers/grille.csv", "fichiers/ﬁche.txt",
                                      "fichiers/fiche.txt"], [], "mon-kit"))
    assert sorted(twins) == ["fichiers/grille.csv", "fichiers/ﬁche.txt"]
    assert reserved.collisions(["fichiers/index.pdf", "fichiers/grille.csv", "autre-kit.pdf", "fichiers/mon-kit.pdf"],
                               ["fichiers/grille.csv"], "mon-kit") == []


def _sparse(path: Path, size: int, head: bytes) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


@rule("tailles maximales")
def test_tailles_maximales(tmp_path: Path) -> None:
    mib = 1024 * 1024
    assert attachments.inspect(_sparse(tmp_path / "a.pdf", 20 * mib + 1, b"%PDF-1.7\n"), "a.pdf")
    assert attachments.inspect(_sparse(tmp_path / "a.png", 5 * mib + 1, b"\x89PNG\r\n\x1a\n"), "a.png")
    assert attachments.inspect(_sparse(tmp_path / "a.svg", 512 * 1024 + 1, b"<svg"), "a.svg")
    (tmp_path / "vide.csv").write_bytes(b"")
    assert "vide" in attachments.inspect(tmp_path / "vide.csv", "vide.csv").reason
    assert (attachments.MAX_KIT_BYTES, attachments.MAX_KIT_FILES) == (50 * mib, 100)


@rule("SVG lu comme un navigateur le lit.")
def test_svg_lu_comme_un_navigateur_le_lit() -> None:
    for value in ["fill: u\\72l(https://p.example/a)", "\\75\\72\\6c(https://p.example/a)", "&#117;rl(https://p.example/a)",
                  "U/**/RL( 'https://p.example/a')", "image-set('a.png' 1x)", "@im/**/port 'a.css'", "cross-fade(a, b)",
                  "element(#a)", "src(a)", "@font-face", "expression(alert(1))", "url(java\\73 cript:x)", "url(data:x)"]:
        body = f'<rect style="{value}"/>'
        assert attachments.svg_problem(SVG.format(body).encode()), value
    assert attachments.svg_problem(SVG.format('<rect style="fill: url( \'#degrade\' )"/>').encode()) is None


@rule("CSV sans formule.")
def test_csv_sans_formule() -> None:
    refused = {'a;=HYPERLINK("https://p.example")': "B1", "a;b\n@SUM(1)": "A2", 'a;"  =1+1"': "B1",
               "a;-2+3+cmd|' /C calc'!A0": "B1", "a;+x": "B1", 'a;"\t=1"': "B1", 'a;"\r=1"': "B1",
               "a,b\nc, =1": "B2"}
    for text, cell in refused.items():
        found = attachments.formula_cell(text)
        assert found and f"la cellule {cell} " in found[0], text
    assert attachments.formula_cell("a;b\nc;=1")[1] == 2  # the line is given
    for text in ("a;-5\nb;+3,5 %\nc;- 1 200\nd;-\ne;'=texte\nf;1=1",):
        assert attachments.formula_cell(text) is None, text


def _document(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / case
    DOCUMENTS[case](folder)
    return next(folder.iterdir())


@rule("Documents bureautiques examinés comme les archives qu'ils sont")
def test_documents_bureautiques_examines_comme_les_archives_qu_ils_sont(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {
        "office-programme": "un programme", "office-programme-deguise": "un programme",
        "office-macro-vba": "des macros VBA", "office-type-macros": "d'un type à macros",
        "office-modele-distant": "charge un élément extérieur", "office-lien-fichier": "un lien « file://",
        "office-ole": "un objet OLE", "office-trop-d-elements": "2003 éléments", "office-champ-dde": "« DDEAUTO »",
        "office-formule-dde": "une formule qui appelle", "ods-macro-basic": "des macros (dossier « Basic »)",
        "ods-macro-evenement": "une macro liée à un événement", "ods-formule-webservice": "une formule qui appelle",
        "odt-dde": "une liaison DDE", "odt-image-distante": "charge un élément extérieur", "odt-chiffre": "chiffré",
    }
    for case, words in expected.items():
        path = _document(tmp_path, case)
        reason = documents.office_problem(path.suffix, path)
        assert reason and words in reason, (case, reason)
    # The project's own spreadsheets pass, and a zip that declares too much is refused before being read.
    ods = tmp_path / "propre.ods"
    ods.write_bytes(spreadsheet.csv_to_ods("a;b\n1;2\n", sheet="x"))
    assert documents.office_problem(".ods", ods) is None
    assert (documents.MAX_MEMBERS, documents.MAX_UNCOMPRESSED, documents.MAX_XML_READ) == (2000, 200 * 2**20, 32 * 2**20)
    monkeypatch.setattr(documents, "MAX_UNCOMPRESSED", 2**20)  # the same rule, at a size a test can afford
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (2**20 + 1))
    assert "se décompresse en" in documents.office_problem(".docx", bomb)


@rule("PDF sans action.")
def test_pdf_sans_action(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {"pdf-javascript": "/JavaScript", "pdf-nom-code": "/JavaScript", "pdf-lancement": "/Launch",
                "pdf-fichier-joint": "/EmbeddedFiles", "pdf-flux-objets": "/JavaScript", "pdf-chiffre": "/Encrypt"}
    for case, name in expected.items():
        reason = documents.pdf_problem(_document(tmp_path, case).read_bytes())
        assert reason and f"« {name} »" in reason, (case, reason)
    for name in ("RichMedia", "SubmitForm", "ImportData", "GoToR", "GoToE", "XFA", "JS", "EmbeddedFile"):
        assert documents.pdf_problem(b"%PDF-1.7\n<< /" + name.encode() + b" 1 >>"), name
    assert documents.pdf_problem(b"%PDF-1.7\n<< /S /URI /URI (https://example.org/) >>") is None
    import zlib
    assert documents.MAX_PDF_INFLATED == 64 * 2**20
    monkeypatch.setattr(documents, "MAX_PDF_INFLATED", 2**20)  # the same rule, at a size a test can afford
    packed = zlib.compress(b"\0" * (2**20 + 1))
    bomb = b"%PDF-1.7\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + packed + b"\nendstream\nendobj\n"
    assert "au-delà de ce que la vérification lit" in documents.pdf_problem(bomb)


# Fichiers YAML

def _yaml(tmp_path: Path, raw: bytes) -> SourceError:
    path = tmp_path / "kit.yml"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as caught:
        load_yaml(path)
    return caught.value


@rule("lus en mode sûr")
def test_lus_en_mode_sur(tmp_path: Path) -> None:
    cases = {b"a: !!python/object/apply:os.system [x]\n": "balise YAML", b"a: !!binary aGk=\n": "balise YAML",
             b"a: &x 1\nb: *x\n": "ancres", b"a: 1\n---\nb: 2\n": "un seul document",
             b"a: " + b"[" * 25 + b"]" * 25 + b"\n": "imbriquées trop profondément",
             b"a: " + b"x" * 20_001 + b"\n": "trop longue", b"a: [" + b"1, " * 20_001 + b"]\n": "trop gros",
             b"a: '" + b"x" * (256 * 1024) + b"'\n": "trop volumineux"}
    for raw, words in cases.items():
        assert words in _yaml(tmp_path, raw).message, raw[:40]


@rule("Texte lisible.")
def test_texte_lisible(tmp_path: Path) -> None:
    for raw, line in [(b"a: 1\nb: x\x00y\n", 2), (b"a: \x7f\n", 1), (b"a: \x01\n", 1), (b"a: 1\nb: \xc2\x85\n", 2),
                      ("a: 1\n\ufeffb: 2\n".encode(), 2), (b"a: \xe2\x80\xa8\n", 1)]:
        error = _yaml(tmp_path, raw)
        assert "caractère invisible interdit" in error.message and error.line == line, raw
    assert "UTF-8" in _yaml(tmp_path, b"a: \xff\n").message
    assert "UTF-8" in _yaml(tmp_path, "\ufeffa: 1\n".encode("utf-16")).message
    for raw in (b"a: 'x\n", b"- a\nb: c\n", b"a: b: c\n", b"%YAML 9.9\n--- a\n", b"? [a]\n: 1\n", b"a:\n\t- b\n",
                b"a: !!int abc\n", b"a: !!timestamp 2026-02-30\n", b"a: !!bool peut-etre\n", b"a: " + b"9" * 5000 + b"\n"):
        error = _yaml(tmp_path, raw)
        assert error.message and error.line, raw
    (tmp_path / "partie.md").write_bytes(b"Texte\n\x00\n")
    with pytest.raises(SourceError):
        read_text(tmp_path / "partie.md")
    (tmp_path / "bom.yml").write_bytes("\ufeffa: 1\n".encode())
    assert load_yaml(tmp_path / "bom.yml").data == {"a": 1}  # a mark at the very start is the editor's, not an error


@rule("Dates enregistrables.")
def test_dates_enregistrables(tmp_path: Path) -> None:
    messages = _messages(tmp_path / "a", ["date-lointaine", "date-ancienne"])
    assert sum("hors des dates possibles (du 1er janvier 1980 au 31 décembre 2107" in m for m in messages) == 2
    # Both bounds are what a zip entry can hold: the build writes them, one day beyond fails.
    for day in (dt.date(1980, 1, 1), dt.date(2107, 12, 31)):
        folder = tmp_path / f"site-{day.year}"
        folder.mkdir()
        (folder / "index.html").write_text("x", encoding="utf-8")
        archive.write_zip(folder, tmp_path / f"{day.year}.zip", "centre", day)
        assert zipfile.ZipFile(tmp_path / f"{day.year}.zip").infolist()[-1].date_time[0] == day.year
    with pytest.raises(Exception):
        zipfile.ZipFile(tmp_path / "2108.zip", "w").writestr(zipfile.ZipInfo("x", (2108, 1, 1, 0, 0, 0)), b"x")


# Vérifications bornées

@rule("Vérification en temps proportionnel.")
def test_verification_en_temps_proportionnel(monkeypatch: pytest.MonkeyPatch) -> None:
    # The inputs of the issue (a tag, a template that never closes); test_linear_scans.py holds every other scan.
    from test_linear_scans import SCANS, _patterns_in_sources, test_every_pattern_on_contributed_text_is_bounded
    from test_linear_scans import test_scan_work_grows_linearly
    for module, name, pattern in _patterns_in_sources():
        test_every_pattern_on_contributed_text_is_bounded(module, name, pattern)
    for name, scan, unit in SCANS:
        if name in ("liens, balise ouverte", "chiffres, gabarit ouvert"):
            test_scan_work_grows_linearly(monkeypatch, name, scan, unit)


@rule("Pages constructibles en temps raisonnable.")
def test_pages_constructibles_en_temps_raisonnable(tmp_path: Path) -> None:
    assert checks.MAX_UNCLOSED == 100
    text = "a <b c\n[x](y) [z\n<i>ok</i> ](w\n```\n<a <a\n```"
    assert spans.unclosed_openings(text) == (5, 1)
    assert spans.unclosed_openings(references.without_code(text)) == (3, 1)  # code is shown, not parsed
    root = make_tree(tmp_path / "kits", ["regex-balise-ouverte"])
    part = root / "regex-balise-ouverte" / "methodologie.md"
    for count, refused in ((100, False), (101, True)):
        part.write_text("## Étapes\n\n" + "<a \n" * count, encoding="utf-8")
        _, report = checks.check_kits(root)
        assert any("qui ne se ferment pas sur leur ligne" in p.message for p in report.errors) is refused, count
    # Closed on their line, any number is fine: ordinary pages full of links and tags.
    part.write_text("## Étapes\n\n" + "[lien](https://example.org/) <kbd>x</kbd>\n" * 5000, encoding="utf-8")
    _, report = checks.check_kits(root)
    assert not report.errors


# Aperçu local

@rule("Aperçu réservé à cette machine.")
def test_apercu_reserve_a_cette_machine() -> None:
    class Answering:
        editor = None  # no web editor served (make serve without EDITEUR)

        def reply(self, path: str) -> Reply:
            return Reply(200, "text/plain; charset=utf-8", b"page")

    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"preview": Answering()}))
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def status(host: str) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/index.html", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            assert "Adresse refusée" in exc.read().decode("utf-8")
            return exc.code

    try:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert status(host) == 200, host
        for host in (f"pirate.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}", f"localhost.pirate.example:{port}"):
            assert status(host) == 403, host
    finally:
        server.shutdown()
        server.server_close()
