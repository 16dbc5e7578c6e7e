"""End-to-end builds of the fixture corpus: each centre holds exactly its kits, failures keep the old site."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_kits, run_build

from kitcore import cms, parts, publish

FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
PARTS = [p.id for p in parts.PARTS]
EXPECTED = {"associations": {"kit-a"}, "entreprises": {"kit-a", "kit-b"}, "territoires": {"kit-c"}}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build(FIXTURE, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Terminé : 3 centres, 3 kits, \d+ pages en [\d.]+ s → ", result.stdout, re.M), result.stdout
    # One progress line per centre.
    assert sorted(re.findall(r"^  ✓ ([a-z-]+) +\d+ kits", result.stdout, re.M)) == sorted(EXPECTED)
    return site


def test_each_centre_holds_exactly_its_kits(fixture_site: Path) -> None:
    centres = sorted(p.name for p in fixture_site.iterdir() if (p / "kits").is_dir())
    assert centres == sorted(EXPECTED)
    for centre, kits in EXPECTED.items():
        built = {p.name for p in (fixture_site / centre / "kits").iterdir()}
        assert built == kits, centre
        for kit in kits:
            for part in ["index"] + PARTS:
                assert (fixture_site / centre / "kits" / kit / f"{part}.html").is_file()


def test_draft_never_published(fixture_site: Path) -> None:
    assert not list(fixture_site.rglob("kit-d"))
    assert "Brouillon en cours" not in (fixture_site / "associations" / "index.html").read_text(encoding="utf-8")


def test_kit_page_nav_lists_parts_in_order(fixture_site: Path) -> None:
    html = (fixture_site / "entreprises" / "kits" / "kit-b" / "methodologie.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):]
    positions = [nav.find(f'href="{p}.html"') for p in PARTS]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert "<h1" in html and "Méthodologie" in html
    assert 'lang="fr"' in html


def test_home_groups_cards_by_challenge(fixture_site: Path) -> None:
    html = (fixture_site / "entreprises" / "index.html").read_text(encoding="utf-8")
    evaluation, numerique = html.index(">Évaluation<"), html.index(">Numérique<")
    assert html.count("Évaluer ensemble") >= 1 and html.count("Numériser ses services") >= 2
    assert "15 janvier 2026" in html
    assert evaluation < numerique


def test_downloads_and_cross_centre_links_resolve(fixture_site: Path) -> None:
    kit_a = fixture_site / "associations" / "kits" / "kit-a"
    # Published with a byte-order mark (Excel on Windows reads UTF-8 only then), separators kept.
    assert (kit_a / "fichiers" / "grille.csv").read_bytes() == b"\xef\xbb\xbfa;b\n1;2\n"
    page = (fixture_site / "territoires" / "kits" / "kit-c" / "index.html")
    href = re.search(r'href="([^"]*kit-a/index.html)"', page.read_text(encoding="utf-8")).group(1)
    assert (page.parent / href).resolve() == (fixture_site / "associations" / "kits" / "kit-a" / "index.html").resolve()


def test_no_external_resources(fixture_site: Path) -> None:
    files = [p for suffix in ("*.html", "*.css") for p in fixture_site.rglob(suffix)]
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "unpkg.com" not in text and "cdn.jsdelivr" not in text, path


def test_portal_lists_centres_with_counts(fixture_site: Path) -> None:
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    for centre, title in [("associations", "Centre des associations"), ("entreprises", "Centre des entreprises")]:
        assert f'href="{centre}/index.html"' in html and title in html
    assert "2 kits" in html and "1 kit<" in html


def test_the_site_root_holds_the_centres_and_only_the_portal_folders_no_audience_may_take(fixture_site: Path) -> None:
    from kitcore import reserved

    folders = {p.name for p in fixture_site.iterdir() if p.is_dir()}
    assert folders - set(EXPECTED) == set(reserved.PORTAL_FOLDERS)


def test_the_portal_leads_contributors_to_the_editor(fixture_site: Path) -> None:
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<a href="([^"]+)">Proposer ou modifier un kit en ligne \(éditeur web\)</a>', html)
    assert found == [f"{cms.FOLDER}/index.html"]
    assert (fixture_site / found[0]).is_file()
    # The reader's page on contributing names that link, and says what the editor proposes (a pull request).
    page = (ROOT / "docs" / "contribuer.md").read_text(encoding="utf-8")
    assert "**Proposer ou modifier un kit en ligne**" in page and "demande de fusion" in page


def _break_kit(tmp_path: Path) -> Path:
    kits = copy_kits(FIXTURE, tmp_path / "kits")
    yml = kits / "kit-b" / "kit.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("publics: [entreprises]", "publics: [entreprise]"),
                   encoding="utf-8")
    return kits


MESSAGE = ("kits/kit-b/kit.yml, ligne 3 : « entreprise » n'est pas un public connu. Publics possibles : associations, "
           "entreprises, territoires. Vouliez-vous dire « entreprises » ?")


def test_invalid_kit_fails_build_and_keeps_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "associations").mkdir(parents=True)
    marker = site / "associations" / "index.html"
    marker.write_text("ancien site", encoding="utf-8")
    result = run_build(_break_kit(tmp_path), site)
    assert result.returncode == 1
    assert MESSAGE in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert marker.read_text(encoding="utf-8") == "ancien site"
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name or "-old-" in p.name] == []


def test_hook_fails_mkdocs_build_with_same_message(tmp_path: Path) -> None:
    env = dict(os.environ, CENTRE="entreprises", KITS_DIR=str(_break_kit(tmp_path)), SITE_DIR=str(tmp_path / "out"),
               NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 1
    assert MESSAGE in result.stderr
    assert "Traceback" not in result.stderr


def test_build_one_centre_only(tmp_path: Path) -> None:
    result = run_build(FIXTURE, tmp_path / "site", "--centre", "territoires")
    assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in (tmp_path / "site").iterdir() if (p / "index.html").is_file())
    assert folders == sorted(["territoires", cms.FOLDER])  # the centre asked for, and the portal's web editor


def test_successful_rebuild_replaces_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, tmp_path / "kits")
    assert run_build(tmp_path / "kits", site, "--centre", "territoires").returncode == 0
    stale = site / "territoires" / "obsolete.html"
    stale.write_text("x", encoding="utf-8")
    part = tmp_path / "kits" / "kit-c" / "methodologie.md"
    part.write_text(part.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert run_build(tmp_path / "kits", site, "--centre", "territoires").returncode == 0
    assert not stale.exists()
    assert "Une phrase de plus." in (site / "territoires" / "kits" / "kit-c" / "methodologie.html").read_text(encoding="utf-8")


def test_published_state_file_names_no_file(fixture_site: Path) -> None:
    # The incremental-build state travels with the published site: digests only, no draft name, no local path.
    state = (fixture_site / ".construction.json").read_text(encoding="utf-8")
    assert "kit-d" not in state and "kits/" not in state and str(ROOT) not in state and "/tmp" not in state


def test_site_url_gives_sitemap_and_canonical_links(tmp_path: Path) -> None:
    env = dict(os.environ, CENTRE="territoires", KITS_DIR=str(FIXTURE), SITE_DIR=str(tmp_path / "out"),
               NO_MKDOCS_2_WARNING="1", SITE_URL="https://exemple.org/centres/")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://exemple.org/centres/territoires/kits/kit-c/methodologie.html</loc>" in sitemap
    page = (tmp_path / "out" / "kits" / "kit-c" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://exemple.org/centres/territoires/kits/kit-c/index.html">' in page


def test_strict_build_fails_on_a_broken_internal_link(tmp_path: Path) -> None:
    # A copy of the project whose shared page links to a page that does not exist: the build must refuse it.
    project = tmp_path / "projet"
    for name in ("hooks", "docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(FIXTURE, project / "kits")
    env = dict(os.environ, CENTRE="territoires", KITS_DIR=str(project / "kits"), SITE_DIR=str(tmp_path / "out"),
               NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    assert subprocess.run(command, cwd=project, env=env, capture_output=True).returncode == 0  # the copy builds
    licence = project / "docs" / "licence.md"
    licence.write_text(licence.read_text(encoding="utf-8") + "\nVoir [la page disparue](disparue.md).\n",
                       encoding="utf-8")
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "contains a link 'disparue.md'" in result.stderr and "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr


def test_the_build_lock_of_the_default_site_is_ignored_by_git(fixture_site: Path) -> None:
    # Every `make build` leaves its lock file beside site/: it must never show as an untracked file.
    assert publish.lock_path(fixture_site).is_file()  # the lock of a real build, beside its site
    lock = publish.lock_path(ROOT / "site")
    assert lock.parent == ROOT
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", str(lock)], cwd=ROOT)
    assert ignored.returncode == 0, f"{lock.name} n'est pas ignoré par git (.gitignore)"
