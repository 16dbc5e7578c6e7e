"""The web editor's configuration: generated from the kit format, committed, and independent of the kit list."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from kitcore import cms, formatdoc, parts, scaffold, schema
from kitcore.kits import Kit, load_corpus
from kitcore.problems import Report

COMMITTED = ROOT / formatdoc.EDITOR_CONFIG_PATH


def _fields() -> dict[str, dict]:
    config = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    [collection] = config["collections"]
    return {f["name"]: f for f in collection["fields"]}


def test_committed_configuration_is_up_to_date_and_a_hand_edit_is_caught(tmp_path: Path) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == formatdoc.editor_config_text(ROOT / "kits"), \
        f"{formatdoc.EDITOR_CONFIG_PATH} est périmé : lancez « {formatdoc.REGENERATE} »"
    repo = tmp_path / "depot"
    (repo / "schemas").mkdir(parents=True)
    for path in (formatdoc.SCHEMA_PATH, formatdoc.DIAGNOSTIC_SCHEMA_PATH):
        (repo / path).write_text((ROOT / path).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / formatdoc.EDITOR_CONFIG_PATH).write_text(COMMITTED.read_text(encoding="utf-8").replace(
        "label: Titre", "label: Title", 1), encoding="utf-8")
    assert formatdoc.stale_files(repo, ROOT / "kits") == [repo / formatdoc.EDITOR_CONFIG_PATH]


def _all_fields(fields=Kit.fields):
    for f in fields:
        yield f
        if isinstance(f, schema.Records):
            yield from _all_fields(f.record.fields)


def test_every_key_of_kit_yml_has_its_french_label_help_and_required_flag() -> None:
    missing = sorted({f.name for f in _all_fields() if f.name not in cms.LABELS})
    assert missing == [], f"ajoutez le libellé français de ces clés à kitcore.cms.LABELS : {missing}"
    fields = _fields()
    for f in Kit.fields:
        got = fields[f.name]
        assert got["label"] == cms.LABELS[f.name] and got["hint"] == f.description and got["required"] == f.required
        if isinstance(f, schema.Records):
            nested = {n["name"]: n for n in got["fields"]}
            assert [r.name for r in f.record.fields] == list(nested)
            assert all(nested[r.name]["required"] == r.required for r in f.record.fields)
    corpus = load_corpus(ROOT / "kits", Report())
    for name in ("publics", "enjeux"):
        assert [o["value"] for o in fields[name]["options"]] == list(corpus.registries[name])
        assert fields[name]["widget"] == "choix" and "connu" in fields[name]["unknown_message"]
    licence = Kit.field("licence")
    assert isinstance(licence, schema.Choice) and fields["licence"]["options"] == list(licence.choices)
    assert fields["mise_a_jour"]["widget"] == "datetime" and fields["mise_a_jour"]["time_format"] is False
    assert fields["mise_a_jour"]["pattern"][0] == schema.DATE_PATTERN
    resource = {f["name"]: f for f in fields["ressources"]["fields"]}
    assert resource["fichier"]["widget"] == "file" and resource["fichier"]["media_folder"] == "fichiers"
    # A new kit starts as `make new` starts one.
    assert fields["resume"]["default"] == scaffold.SUMMARY_GUIDANCE and fields["statut"]["default"] == scaffold.DRAFT


def test_parts_are_raw_markdown_starting_with_the_scaffold_guidance() -> None:
    fields = _fields()
    for part in parts.PARTS:
        got = fields[part.id]
        # Raw mode only: the rich-text mode would rewrite admonitions, footnotes and {{ chiffre(…) }}.
        assert got["widget"] == "markdown" and got["modes"] == ["raw"]
        assert got["default"] == part.guidance and got["required"] == part.required


def test_configuration_does_not_depend_on_the_list_of_kits() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    for folder in (ROOT / "kits").iterdir():
        if folder.is_dir():
            assert not re.search(rf"\b{re.escape(folder.name)}\b", text), folder.name
    related = _fields()["voir_aussi"]
    assert related["widget"] == "relation" and related["collection"] == "kits"


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPO_URL", "https://github.com/une-personne/centres")
    monkeypatch.setenv("EDITEUR_OAUTH_URL", "https://connexion.example.org/")
    return cms.publish_editor(load_corpus(ROOT / "kits", Report()), tmp_path / cms.FOLDER)


def test_published_editor_proposes_changes_as_pull_requests_from_forks(published: Path) -> None:
    config = yaml.safe_load((published / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "kits-github", "repo": "une-personne/centres", "branch": "main",
                                 "open_authoring": True, "cms_label_prefix": "editeur/",
                                 "commit_messages": cms.COMMIT_MESSAGES, "base_url": "https://connexion.example.org"}
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "fr"
    assert config["collections"] == yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))["collections"]


def test_published_editor_is_vendored_without_source_maps_or_outside_addresses(published: Path) -> None:
    names = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    assert {"index.html", "decap-cms.js", "kits-cms.js", "kit-id.js", "kit-yaml.js", "yaml/index.js",
            "config.yml", "format.json", "decap-cms.js.LICENSE.txt"} <= names
    assert not [n for n in names if n.endswith(".map") or n == "cms.js"]
    html = (published / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'src="([^"]+)"', html) == ["decap-cms.js", "kits-cms.js"]
    for name in names:
        if name.endswith((".js", ".html")):
            text = (published / name).read_text(encoding="utf-8", errors="replace")
            for cdn in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr", "cdnjs."):
                assert cdn not in text, (name, cdn)
    total = sum((published / n).stat().st_size for n in names)
    assert total < 12_000_000, f"l'éditeur pèse {total} octets"


def test_the_shared_media_library_is_a_folder_make_check_reports_until_emptied(tmp_path: Path) -> None:
    from conftest import FIXTURES, copy_kits

    from kitcore import checks
    from kitcore.kits import UPLOADS_FOLDER

    config = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert config["media_folder"] == f"kits/{UPLOADS_FOLDER}"
    kits = copy_kits(FIXTURES / "offline-kits", tmp_path / "kits")
    _, clean = checks.check_kits(kits)
    uploads = kits / UPLOADS_FOLDER
    (uploads / "sous-dossier").mkdir(parents=True)
    for name in ("photo.png", "sous-dossier/grille.csv"):
        (uploads / name).write_bytes(b"x")
    corpus, report = checks.check_kits(kits)
    assert UPLOADS_FOLDER not in corpus.folders and len(report.errors) == len(clean.errors)
    texts = [p.text() for p in report.warnings if UPLOADS_FOLDER in p.text()]
    assert len(texts) == 2 and all("déplacez-le dans le dossier fichiers/ du kit qui l'utilise" in t for t in texts)
    assert texts[0].startswith(f"kits/{UPLOADS_FOLDER}/photo.png")
    # Many files: a bounded list, then one line for the rest.
    for i in range(60):
        (uploads / f"f{i}.txt").write_bytes(b"x")
    _, report = checks.check_kits(kits)
    texts = [p.text() for p in report.warnings if UPLOADS_FOLDER in p.text()]
    from kitcore.kits import UPLOADS_FILE_LIMIT
    assert len(texts) == UPLOADS_FILE_LIMIT + 1 and texts[-1].endswith("à déplacer de même.")
    # The guide warns against that tab under the name Decap's French interface gives it.
    locale = (ROOT / "node_modules" / "decap-cms-locales" / "src" / "fr" / "index.js").read_text(encoding="utf-8")
    label = re.search(r"header: \{[^}]*?media: '([^']+)'", locale, re.S)
    assert label, "the French label of the editor's media tab"
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"l'onglet **{label.group(1)}** du haut de l'éditeur" in guide and f"`kits/{UPLOADS_FOLDER}/`" in guide
