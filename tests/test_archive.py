"""The offline zip of a centre: deterministic bytes, sorted entries, fixed dates and modes, its offline stylesheet."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import zipfile
from pathlib import Path

import pytest

from kitcore import archive, copies, wording

DAY = dt.date(2026, 9, 15)
PAGE = '<html><head><link rel="stylesheet" href="assets/kitcore/copie.css"></head><body><p>{}</p></body></html>'


def make_centre(root: Path, centre_id: str = "associations") -> Path:
    """A tiny built centre: pages at three depths, a stylesheet, files that must stay out of the zip."""
    folder = root / centre_id
    for rel, text in {
        "index.html": PAGE.format("Accueil"),
        "kits/k/index.html": PAGE.format("Kit"),
        "kits/k/methodologie.html": PAGE.format("Méthodologie"),
        "assets/stylesheets/main.css": "body{color:#111}",
        copies.STYLESHEET: copies.stylesheet(offline=False).decode(),
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
    # Measured on the finished zip, which never states it: no « environ » any more.
    assert archive.size_label(2_400_000) == "2,3 Mo"


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


def _state(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.rglob("*") if p.is_file()}


def test_build_archive_stores_the_offline_stylesheet_and_touches_no_page(tmp_path: Path) -> None:
    folder = make_centre(tmp_path)
    before = _state(folder)
    result = archive.build_archive(folder, "associations", DAY)
    assert _state(folder) == before, "le centre en ligne reste tel que le moteur l'a écrit"
    assert result.path == tmp_path / "associations.zip"
    assert result.size == result.path.stat().st_size
    assert result.label == wording.human_size(result.size), "le portail affiche la taille exacte"
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.checksum_path.read_text(encoding="utf-8") == f"{result.sha256}  associations.zip\n"

    with zipfile.ZipFile(result.path) as zf:
        inner = {n[len("associations/"):]: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    # One member differs from the online centre: the stylesheet that shows the offline variants.
    assert inner.pop(copies.STYLESHEET) == copies.stylesheet(offline=True)
    assert copies.stylesheet(offline=True) != copies.stylesheet(offline=False)
    online = {rel: data for rel, (_, _, data) in before.items() if rel in inner}
    assert inner == online, "toutes les autres entrées sont les fichiers du centre, octet pour octet"


def test_the_zip_is_written_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_centre(tmp_path)
    opened: list[str] = []
    real = zipfile.ZipFile

    def counting(file, mode="r", *args, **kwargs):
        if mode == "w":
            opened.append(str(file))
        return real(file, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", counting)
    archive.build_archive(folder, "associations", DAY)
    assert opened == [str(tmp_path / "associations.zip")]


def test_a_replaced_member_must_exist(tmp_path: Path) -> None:
    """A centre built without the stylesheet would give an offline copy that looks online: refused, not hidden."""
    folder = make_centre(tmp_path)
    (folder / copies.STYLESHEET).unlink()
    with pytest.raises(ValueError, match="copie.css"):
        archive.build_archive(folder, "associations", DAY)


def test_build_archive_is_idempotent(tmp_path: Path) -> None:
    """A second run gives the same zip: nothing it wrote the first time changes what it zips."""
    folder = make_centre(tmp_path)
    first = archive.build_archive(folder, "associations", DAY)
    data = first.path.read_bytes()
    second = archive.build_archive(folder, "associations", DAY)
    assert second.path.read_bytes() == data
