"""The web editor in headless Chromium, on a copy of the kits through `make editeur` (decap-server + live preview).

What is tested is what a contributor does: open a kit, edit a paragraph, save; create a kit with the form; be told
in French what is wrong. The files on disk are then read back and checked as `make check` does.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, require_program
from test_serve import Server, _free_port, get

from kitcore import checks, parts, scaffold
from kitcore.problems import ERROR, WARNING

KIT = "evaluation-partenariale"
EDITED = parts.PARTS[1]  # the part enriched below and edited in the form
NEW_EDITED = parts.PARTS[-1]  # the part edited in the form of a new kit
# Every construct of our Markdown that a rich-text editor would rewrite, in a part of a real kit.
SPECIAL = """

## Un exemple à garder tel quel {#exemple-garde}

Il existe {{ chiffre('modes_evaluation') }} modes d'évaluation[^garde].

!!! note "À savoir"
    Un encadré, indenté de quatre espaces.

??? tip "Pour aller plus loin"
    Un bloc dépliable.

| colonne | autre |
|---|---|
| a | b |

Paragraphe à modifier.

Un paragraphe avec des attributs.
{: .encadre }

[^garde]: La note de bas de page.
"""
LOAD_SECONDS = 90_000  # ms: a cold 5 MB bundle on a busy two-core machine


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real kits, one part enriched with every Markdown construct, and a comment in a kit.yml."""
    root = tmp_path_factory.mktemp("depot")
    kits = root / "kits"
    shutil.copytree(ROOT / "kits", kits)
    part = kits / KIT / EDITED.file
    part.write_text(part.read_text(encoding="utf-8") + SPECIAL, encoding="utf-8")
    meta = kits / KIT / "kit.yml"
    meta.write_text("# yaml-language-server: $schema=../../schemas/kit.schema.json\n# Relu par l'équipe.\n"
                    + meta.read_text(encoding="utf-8"), encoding="utf-8")
    _, report = checks.check_kits(kits)
    assert not report.errors, [p.text() for p in report.errors]
    return root


@pytest.fixture(scope="module")
def editeur(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    """`make editeur` on the copy: the preview of the associations centre and the editor at /editeur/."""
    require_program("node", "sudo apt-get install nodejs")
    proxy = _free_port()
    server = Server(repo / "kits", tmp_path_factory.mktemp("log") / "editeur.log", "associations", "editeur.py",
                    "--port-editeur", str(proxy))
    yield server
    server.stop()
    # decap-server stops with the command: nothing is left listening on its port.
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{proxy}/api/v1")


@pytest.fixture
def page(browser, editeur: Server):
    """A page of the editor; every request outside this machine is blocked and recorded in page.outside."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.outside = []
    tab.errors = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            request_route.continue_()
        else:
            tab.outside.append(url)
            request_route.abort()

    tab.route("**/*", route)
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.set_default_timeout(LOAD_SECONDS)
    yield tab
    context.close()


def open_editor(page, editeur: Server, where: str = "") -> None:
    """Open the editor (signing in to the local backend) at a route such as `collections/kits`."""
    page.goto(f"{editeur.base}/editeur/#/{where}")
    login = page.get_by_role("button", name="Se connecter")
    content = page.get_by_text("Écriture dans la collection Kits").or_(page.get_by_role("link", name="Kits").first)
    login.or_(content).first.wait_for()
    if login.is_visible():
        login.click()
        content.first.wait_for()


def part_editor(page, part: str):
    """The raw Markdown editor of one part of the kit's form."""
    label = next(p.label for p in parts.PARTS if p.id == part)
    control = page.locator("[aria-label='markdown field']").filter(has=page.locator("label", has_text=label))
    return control.locator("[data-slate-editor]")


def append_to_line(page, editor, line: str, addition: str) -> None:
    """Type at the end of one line of a part, as a person would: click on it, End, type."""
    editor.get_by_text(line, exact=True).click()
    page.wait_for_timeout(300)  # let the editor place its caret before moving it
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    page.keyboard.type(addition)


def publish(page) -> None:
    page.get_by_role("button", name="Publier", exact=True).click()
    page.get_by_role("menuitem", name="Publier maintenant").click()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} : rien après {seconds} s")


def test_editor_is_in_french_and_fetches_nothing_from_outside(page, editeur: Server) -> None:
    open_editor(page, editeur, "collections/kits")
    page.get_by_text("Évaluer un partenariat").first.wait_for()
    body = page.inner_text("body")
    for french in ("Contenus", "Collections", "Kits"):
        assert french in body
    assert page.outside == [], f"requêtes vers l'extérieur : {page.outside}"
    assert page.errors == []


def test_editing_a_paragraph_changes_that_paragraph_only(page, editeur: Server, repo: Path) -> None:
    folder = repo / "kits" / KIT
    before = snapshot(folder)
    open_editor(page, editeur, f"collections/kits/entries/{KIT}/kit")
    # Opened and not changed: nothing to save (the toolbar says the entry is published, no save button).
    page.get_by_text("Publiée").first.wait_for()
    assert page.get_by_role("button", name="Publier", exact=True).count() == 0
    append_to_line(page, part_editor(page, EDITED.id), "Paragraphe à modifier.", " Modifié en ligne.")
    publish(page)
    page.get_by_text("Publiée").first.wait_for()
    # Byte for byte the same file but for the edited paragraph: admonitions, footnotes, figures, attribute lists,
    # tables and the final newline are untouched; every other file of the kit is as it was.
    expected = dict(before, **{EDITED.file: before[EDITED.file].replace(
        "Paragraphe à modifier.\n".encode(), "Paragraphe à modifier. Modifié en ligne.\n".encode())})
    wait_for(lambda: snapshot(folder)[EDITED.file] == expected[EDITED.file], "enregistrement")
    after = snapshot(folder)
    assert sorted(after) == sorted(expected)
    assert [name for name in after if after[name] != expected[name]] == []
    # The live preview shows the edit (make editeur runs the preview of the associations centre).
    url = f"{editeur.base}/kits/{KIT}/{EDITED.id}.html"
    wait_for(lambda: "Modifié en ligne." in get(url)[1], "l'aperçu montre la modification", seconds=180)
    assert page.outside == []


def test_editing_a_field_keeps_the_rest_of_kit_yml(page, editeur: Server, repo: Path) -> None:
    meta = repo / "kits" / KIT / "kit.yml"
    before = meta.read_text(encoding="utf-8")
    open_editor(page, editeur, f"collections/kits/entries/{KIT}/kit")
    title = page.locator("[id^=titre-field]").first
    title.fill("Évaluer un partenariat, pas à pas")
    publish(page)
    # One line changes; the comments, the folded summary and the lists keep their bytes.
    expected = before.replace("titre: Évaluer un partenariat\n", "titre: Évaluer un partenariat, pas à pas\n")
    assert expected != before
    wait_for(lambda: meta.read_text(encoding="utf-8") == expected, "enregistrement de kit.yml")


def _pick(page, field: str, option: str) -> None:
    page.locator(f"[id^={field}-field]").first.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def test_new_kit_from_the_form_is_a_whole_kit_that_passes_the_check(page, editeur: Server, repo: Path, artifacts: Path) -> None:
    kits = repo / "kits"
    open_editor(page, editeur, "collections/kits/new")
    page.locator("[id^=titre-field]").first.fill("Mesurer l'effet d'un mécénat : oui")
    _pick(page, "publics", "Entreprises")
    _pick(page, "publics", "Fondations")
    _pick(page, "enjeux", "Évaluation")
    page.get_by_role("button", name="Ajouter auteurs").click()
    page.locator("[id^=valeur-field]").last.fill("Jeanne Martin")
    page.locator("input[type=date]").first.fill("2026-11-30")
    last_line = NEW_EDITED.guidance.strip().splitlines()[-1]
    append_to_line(page, part_editor(page, NEW_EDITED.id), last_line, " Une étape ajoutée.")
    publish(page)
    page.get_by_text("Publiée").first.wait_for()  # shown once decap-server has written the files
    page.screenshot(path=str(artifacts / "editeur-nouveau-kit.png"), full_page=True)
    folder = kits / scaffold.kit_id("Mesurer l'effet d'un mécénat : oui")
    assert folder.name == "mesurer-l-effet-d-un-mecenat-oui"  # named as `make new` names it
    wait_for(lambda: all((folder / p.file).is_file() for p in parts.PARTS if p.required), "création du kit")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["kit.yml"] + [p.file for p in parts.PARTS if p.required])
    meta = (folder / "kit.yml").read_text(encoding="utf-8")
    assert meta.splitlines()[0] == scaffold.SCHEMA_COMMENT
    data = yaml.safe_load(meta)
    assert data == {
        "titre": "Mesurer l'effet d'un mécénat : oui", "resume": scaffold.SUMMARY_GUIDANCE,
        "publics": ["entreprises", "fondations"], "enjeux": ["evaluation"], "auteurs": ["Jeanne Martin"],
        "mise_a_jour": dt.date(2026, 11, 30), "licence": "CC-BY-SA-4.0", "statut": "brouillon"}
    for part in parts.PARTS:
        if not part.required:
            continue
        text = (folder / part.file).read_text(encoding="utf-8")
        expected = part.guidance
        if part == NEW_EDITED:
            expected = expected.replace(last_line + "\n", last_line + " Une étape ajoutée.\n")
        assert text == expected, part.id
    _, report = checks.check_kits(kits)
    mine = [p for p in report.problems if f"/{folder.name}/" in p.file]
    assert [p for p in mine if p.severity == ERROR] == []
    # Only the guidance is left to write: the summary and each part, as after `make new`.
    assert len(mine) == 1 + sum(p.required for p in parts.PARTS) and all(p.severity == WARNING and "À COMPLÉTER" in p.message
                                                          for p in mine), [p.text() for p in mine]
    assert page.outside == []


def test_unknown_public_and_bad_date_are_refused_in_french(page, editeur: Server, repo: Path) -> None:
    folder = repo / "kits" / "kit-avec-fautes"
    shutil.copytree(repo / "kits" / "mesurer-son-impact", folder)
    meta = folder / "kit.yml"
    text = meta.read_text(encoding="utf-8").replace("  - fondations\n", "  - fondation\n", 1)
    text = re.sub(r"mise_a_jour: .*", "mise_a_jour: 30/02/2026", text)
    text = text.replace("titre: Mesurer son impact", "titre: Un kit avec des fautes")
    meta.write_text(text, encoding="utf-8")
    before = snapshot(folder)
    open_editor(page, editeur, "collections/kits/entries/kit-avec-fautes/kit")
    title = page.locator("[id^=titre-field]").first
    title.fill("Un kit avec des fautes corrigées")
    publish(page)
    page.get_by_text("« fondation » n'est pas un public connu.", exact=False).wait_for()
    page.get_by_text("« mise_a_jour » doit être une date réelle au format AAAA-MM-JJ", exact=False).wait_for()
    assert snapshot(folder) == before, "rien n'est écrit tant que le formulaire a des erreurs"
    assert page.outside == []
