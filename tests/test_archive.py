"""The offline zip of a centre: deterministic bytes, sorted entries, fixed dates and modes, its size in its pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import zipfile
from pathlib import Path

import pytest

from kitcore import archive, wording

DAY = dt.date(2026, 9, 15)
PAGE = "<html><body><p>{}</p><p>" + archive.MARK_START + "lien" + archive.MARK_END + "</p></body></html>"


def make_centre(root: Path, centre_id: str = "associations") -> Path:
    """A tiny built centre: pages at three depths, a stylesheet, files that must stay out of the zip."""
    folder = root / centre_id
    for rel, text in {
        "index.html": PAGE.format("Accueil"),
        "kits/k/index.html": PAGE.format("Kit"),
        "kits/k/methodologie.html": PAGE.format("Méthodologie"),
        "assets/stylesheets/main.css": "body{color:#111}",
        "assets/javascripts/bundle.js": "console.log(1)",
        "assets/javascripts/bundle.js.map": "{}",
        "sitemap.xml": "<urlset/>",
        "sitemap.xml.gz": "x",
        "kits/k/fichiers/grille.csv": "critère;note\n",
    }.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_human_size_is_french() -> None:
    assert wording.human_size(512) == "512 o"
    assert wording.human_size(380_000) == "371 Ko"
    assert wording.human_size(2_400_000) == "2,3 Mo"
    assert archive.size_label(2_400_000) == "environ 2,3 Mo"


def test_same_files_give_the_same_bytes_whatever_their_dates_and_modes(tmp_path: Path) -> None:
    folder = make_centre(tmp_path / "a")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    archive.write_zip(folder, first, "associations", DAY)
    for path in folder.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
        if path.is_file():
            path.chmod(0o600)
    archive.write_zip(folder, second, "associations", DAY)
    assert first.read_bytes() == second.read_bytes()


def test_entries_are_sorted_dated_and_world_readable(tmp_path: Path) -> None:
    folder = make_centre(tmp_path)
    target = tmp_path / "c.zip"
    archive.write_zip(folder, target, "associations", DAY)
    with zipfile.ZipFile(target) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "associations/"
    assert names == ["associations/"] + sorted(names[1:])
    assert all(n.startswith("associations/") for n in names), "tout doit se décompresser dans un seul dossier"
    assert "associations/index.html" in names and "associations/kits/k/fichiers/grille.csv" in names
    assert not [n for n in names if n.endswith((".map", "sitemap.xml", "sitemap.xml.gz"))]
    for info in infos:
        assert info.date_time == (2026, 9, 15, 0, 0, 0)
        mode = info.external_attr >> 16
        if info.is_dir():
            assert stat.S_ISDIR(mode) and stat.S_IMODE(mode) == 0o755
        else:
            assert stat.S_ISREG(mode) and stat.S_IMODE(mode) == 0o644
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_centre_without_kits_gets_the_zip_epoch(tmp_path: Path) -> None:
    assert archive.centre_date([]) == archive.ZIP_EPOCH
    folder = make_centre(tmp_path)
    target = tmp_path / "c.zip"
    archive.write_zip(folder, target, "associations", dt.date(1970, 1, 1))
    with zipfile.ZipFile(target) as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_build_archive_writes_size_link_and_checksum(tmp_path: Path) -> None:
    folder = make_centre(tmp_path)
    result = archive.build_archive(folder, "associations", DAY)
    assert result.path == tmp_path / "associations.zip"
    assert result.size == result.path.stat().st_size
    assert result.label == archive.size_label(result.size), "le portail et le site en ligne affichent la taille exacte"
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.checksum_path.read_text(encoding="utf-8") == f"{result.sha256}  associations.zip\n"

    # Online: a link to the zip, relative to each page's depth, with the size.
    home = (folder / "index.html").read_text(encoding="utf-8")
    deep = (folder / "kits/k/methodologie.html").read_text(encoding="utf-8")
    assert 'href="../associations.zip" download>Télécharger ce centre pour une consultation hors ligne</a>' in home
    assert 'href="../../../associations.zip"' in deep
    assert f"(zip, {result.label})" in home and f"(zip, {result.label})" in deep

    # Inside the zip: no link to a zip that is not there, the size (at most one rounding step away).
    with zipfile.ZipFile(result.path) as zf:
        inner = zf.read("associations/kits/k/methodologie.html").decode("utf-8")
        css = zf.read("associations/assets/stylesheets/main.css")
    assert "associations.zip" not in inner
    assert "Vous consultez la version hors ligne de ce centre (zip, environ " in inner
    assert f"(zip, {result.label})" in inner
    assert css == b"body{color:#111}", "seules les pages HTML marquées sont réécrites"


def test_build_archive_is_idempotent(tmp_path: Path) -> None:
    """A second run over pages already carrying a size gives the same zip: the marks stay in place."""
    folder = make_centre(tmp_path)
    first = archive.build_archive(folder, "associations", DAY)
    data = first.path.read_bytes()
    second = archive.build_archive(folder, "associations", DAY)
    assert second.path.read_bytes() == data


@pytest.mark.parametrize("page", ["index.html", "404.html", "a/b/c/d.html"])
def test_online_link_climbs_out_of_the_centre(page: str) -> None:
    fragment = archive.online_fragment("territoires", page, "environ 1,0 Mo")
    depth = page.count("/") + 1
    assert f'href="{"../" * depth}territoires.zip"' in fragment
