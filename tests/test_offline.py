"""Each centre as a zip: reproducible, listed on the portal, and fully usable in Chromium from disk and online."""
from __future__ import annotations

import functools
import hashlib
import re
import threading
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT, build_once, run_build
from kitcore import archive, copies, csvexport, elsewhere, notfound, parts

KITS = ROOT / "tests" / "fixtures" / "offline-kits"
AUDIENCES = {a["id"]: a for a in yaml.safe_load((KITS / "publics.yml").read_text(encoding="utf-8"))}
PARTS = [p.label for p in parts.PARTS]
TOOLS = next(p for p in parts.PARTS if p.downloads)


@dataclass(frozen=True)
class Walk:
    """What the browser does in one centre: which kit it opens, which file it downloads, what it searches."""

    kit: str
    title: str
    download: str
    word: str
    found_in: str


WALKS = {
    "associations": Walk("evaluation-partenariale", "Évaluer un partenariat", "fichiers/grille-evaluation.csv",
                         "réciprocité", "methodologie.html"),
    "entreprises": Walk("evaluation-partenariale", "Évaluer un partenariat", "fichiers/grille-evaluation.csv",
                        "réciprocité", "methodologie.html"),
    "fondations": Walk("mecenat-solidaire", "Le mécénat de compétences", "fichiers/convention.txt",
                       "ressourcerie", "illustrations.html"),
}


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture kits built once for this module, zips included."""
    return build_once(tmp_path_factory, KITS, "offline")


@pytest.fixture(scope="module")
def unpacked(offline_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each centre's zip unpacked alone in its own empty folder, as a reader would: centre id → its folder."""
    out = tmp_path_factory.mktemp("hors-ligne")
    folders = unpack_alone(offline_site, out)
    assert sorted(folders) == sorted(AUDIENCES)
    for centre, folder in folders.items():
        assert [p.name for p in folder.parent.iterdir()] == [centre], "le zip se décompresse dans un seul dossier"
    return folders


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def served(offline_site: Path) -> Iterator[str]:
    """The online site over http on 127.0.0.1 (random port), as a web host would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(offline_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# ----------------------------------------------------------------------------------------------- without a browser

def test_portal_lists_every_zip_with_size_and_checksum(offline_site: Path) -> None:
    portal = (offline_site / "index.html").read_text(encoding="utf-8")
    for centre in AUDIENCES:
        data = (offline_site / f"{centre}.zip").read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        assert (offline_site / f"{centre}.zip.sha256").read_text(encoding="utf-8") == f"{sha}  {centre}.zip\n"
        item = re.search(rf'<li class="centre" id="centre-{centre}">.*?</li>', portal, re.S)
        assert item, centre
        assert f'href="{centre}.zip" download>Télécharger ce centre pour une consultation hors ligne</a>' in item.group(0)
        assert f"(zip, {archive.size_label(len(data))})" in item.group(0)
        assert sha in item.group(0)
        assert f"ouvrez le fichier {centre}/index.html dans votre navigateur" in item.group(0)


OFFLINE_NOTE = "Vous consultez la version hors ligne de ce centre."


def test_every_centre_page_carries_both_variants_of_the_banner(offline_site: Path) -> None:
    """Online, the zip and the portal's entry for it; offline (hidden here), the note; never the zip's size."""
    for centre in AUDIENCES:
        label = archive.size_label((offline_site / f"{centre}.zip").stat().st_size)
        pages = sorted((offline_site / centre).rglob("*.html"))
        assert len(pages) >= 9
        for page in pages:
            if page.name == notfound.FILE:
                continue  # standalone (served at any depth): it links the centre's pages, not the zip
            text = page.read_text(encoding="utf-8")
            up = "../" * len(page.relative_to(offline_site / centre).parts)
            text = text.replace('href="./../', 'href="../')  # the theme's base_url is « . » at the centre's root
            assert (f'<span class="centre-archive__en-ligne {copies.ONLINE}"><a class="centre-archive__lien" '
                    f'href="{up}{centre}.zip" download>{archive.DOWNLOAD_TEXT}</a> (zip, <a class="centre-archive__portail" '
                    f'href="{up}index.html#centre-{centre}">') in text, page
            assert (f'<span class="{copies.OFFLINE}" hidden><span class="centre-archive__hors-ligne">{OFFLINE_NOTE}'
                    "</span></span>") in text, page
            assert f'href="{up[3:]}{copies.STYLESHEET}"' in text, page
            assert f"(zip, {label})" not in text, "la taille du zip n'est écrite que sur le portail"
        assert (offline_site / centre / copies.STYLESHEET).read_bytes() == copies.stylesheet(offline=False)


def test_the_build_never_rewrites_a_page_after_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every .html file the engine wrote is, at the end of the build (exports, zips, portal), the same file: same
    inode, same modification time, same bytes."""
    from kitcli import build

    written: dict[Path, tuple[int, int, bytes]] = {}
    real = build.engines.engine

    class Recorded:
        def __init__(self, name: str) -> None:
            self.engine = real(name)

        def render(self, jobs, parallel):
            yield from self.engine.render(jobs, parallel)
            for job in jobs:  # the engine is done with every centre: what it wrote, as it wrote it
                for page in job.out.rglob("*.html"):
                    written[page.relative_to(job.out.parent)] = (page.stat().st_ino, page.stat().st_mtime_ns,
                                                                 page.read_bytes())

    monkeypatch.setattr(build.engines, "engine", Recorded)
    site = tmp_path / "site"
    assert build.main(["--kits", str(KITS), "--site", str(site), "--sans-documents", "--jobs", "2"]) == 0
    assert len(written) >= 5 * 9
    changed = [str(rel) for rel, (ino, mtime, data) in written.items()
               if ((site / rel).stat().st_ino, (site / rel).stat().st_mtime_ns, (site / rel).read_bytes()) != (ino, mtime, data)]
    assert not changed, "pages réécrites après le moteur :\n" + "\n".join(changed)


def test_two_builds_give_byte_identical_zips(offline_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    result = run_build(KITS, again)
    assert result.returncode == 0, result.stdout + result.stderr
    for centre in AUDIENCES:
        first, second = offline_site / f"{centre}.zip", again / f"{centre}.zip"
        assert first.read_bytes() == second.read_bytes(), f"{centre}.zip diffère d'une construction à l'autre"
        assert (offline_site / f"{centre}.zip.sha256").read_bytes() == (again / f"{centre}.zip.sha256").read_bytes()


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Refs(HTMLParser):
    """Every href/src of a page, with the tag that holds it, but those inside elements of class `unseen` (the other
    copy's variants, which this copy's stylesheet hides)."""

    def __init__(self, unseen: str | None = None) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.unseen = unseen
        self.depth = 0
        self.hidden_at: int | None = None  # depth of the hidden element we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.hidden_at is None and self.unseen in classes:
            self.hidden_at = self.depth
        if self.hidden_at is None:
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.refs.append((tag, name, value))
        if tag not in _VOID:
            self.depth += 1
        elif self.hidden_at == self.depth:
            self.hidden_at = None

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if self.hidden_at == self.depth:
            self.hidden_at = None


def unpack_alone(site: Path, out: Path) -> dict[str, Path]:
    """Unpack each zip of `site` in its own empty folder under `out`: centre id → the centre's folder."""
    folders = {}
    for zipped in sorted(site.glob("*.zip")):
        centre = zipped.stem
        with zipfile.ZipFile(zipped) as zf:
            zf.extractall(out / centre)
        folders[centre] = out / centre / centre
    return folders


def reference_problems(site: Path, unpacked: dict[str, Path]) -> list[str]:
    """Resources loaded from outside a centre, and links to files that are not there, in every unpacked page.

    A "voir aussi" link may lead to a kit of another centre (../<centre>/…): it works once that centre's zip is
    unpacked in the same folder, so it must exist in that zip.
    """
    missing, remote = [], []
    for centre, folder in unpacked.items():
        for page in sorted(folder.rglob("*.html")):
            parser = _Refs(unseen=copies.ONLINE)  # the zip's stylesheet hides the online variants
            parser.feed(page.read_text(encoding="utf-8"))
            where = f"{centre}/{page.relative_to(folder).as_posix()}"
            for tag, attr, value in parser.refs:
                parts = urlsplit(value)
                if parts.scheme in ("http", "https") or value.startswith("//"):
                    if tag != "a":  # a link the reader may follow is fine; a resource the page loads is not
                        remote.append(f"{where} : <{tag} {attr}={value}>")
                    continue
                if parts.scheme or not parts.path or page.name == "404.html":
                    continue  # mailto:, data:, #anchor; 404.html is served by a web host, with absolute links
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_relative_to(folder):
                    if not target.exists():
                        missing.append(f"{where} → {value}")
                    continue
                other = target.relative_to(folder.parent).parts[0] if target.is_relative_to(folder.parent) else ""
                if tag != "a" or other not in unpacked:
                    missing.append(f"{where} → {value} (hors du centre)")
                    continue
                with zipfile.ZipFile(site / f"{other}.zip") as zf:
                    if target.relative_to(folder.parent).as_posix() not in zf.namelist():
                        missing.append(f"{where} → {value} (absent de {other}.zip)")
    return (["ressources chargées hors du centre :"] + remote if remote else []) + (
        ["liens cassés :"] + missing if missing else [])


def test_every_local_reference_of_the_unpacked_centres_resolves(offline_site: Path, unpacked: dict[str, Path]) -> None:
    """Cheap and exhaustive, beside the browser walk: no page, image, script or style points at a missing file."""
    problems = reference_problems(offline_site, unpacked)
    assert not problems, "\n".join(problems)


def test_real_centres_unpacked_load_nothing_from_outside(built_site: Path, tmp_path: Path) -> None:
    """The same check on the real kits: contributed text must not bring remote images or dead links into a zip."""
    unpacked = unpack_alone(built_site, tmp_path)
    assert len(unpacked) >= 5
    problems = reference_problems(built_site, unpacked)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------------- in Chromium

@dataclass
class Traffic:
    """Every request a browser context makes, and those that failed."""

    allowed: tuple[str, ...]
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        """Record the context's traffic (pages and downloads) from now on."""
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("requestfailed", lambda r: self.failures.append(f"{r.url} ({r.failure})"))
        context.on("response", lambda r: r.status >= 400 and self.failures.append(f"{r.url} (HTTP {r.status})"))
        context.on("weberror", lambda e: self.errors.append(str(e.error)))

    def outside(self) -> list[str]:
        """Requests that left the page's own files: data: and blob: URLs never reach a network."""
        return [u for u in self.requests if not u.startswith(self.allowed + ("data:", "blob:"))]


def walk_centre(page, base: str, centre: str, shot: str, artifacts: Path) -> None:
    """From the centre's home page to a kit, through its four parts, download a toolbox file, search."""
    from playwright.sync_api import expect

    page.goto(f"{base}/index.html")
    expect(page.locator("article h1")).to_contain_text(AUDIENCES[centre]["titre_centre"])
    # Material's stylesheet makes the header sticky and its script defines document$: both loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.wait_for_function("typeof window.document$ !== 'undefined'")
    page.screenshot(path=artifacts / f"{shot}-1-accueil.png")
    walk = WALKS.get(centre)
    if walk is None:
        return
    fixture_kit = KITS / walk.kit
    # .first: the newest kit is also offered under « Par où commencer ? ».
    page.locator("article").get_by_role("link", name=walk.title, exact=True).first.click()
    expect(page).to_have_url(f"{base}/kits/{walk.kit}/index.html")
    expect(page.locator("article h1")).to_contain_text(walk.title)
    page.screenshot(path=artifacts / f"{shot}-2-kit.png")
    for label in PARTS:
        page.locator("article").get_by_role("link", name=label, exact=True).click()
        expect(page.locator("article h1")).to_contain_text(label)
        for img in page.locator("article img").all():
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"image non chargée : {img.get_attribute('src')}"
        if label == TOOLS.label:
            page.screenshot(path=artifacts / f"{shot}-3-{TOOLS.id}.png")
            with page.expect_download() as info:
                page.locator(f'article a[download][href="{walk.download}"]').first.click()
            download = info.value
            assert download.suggested_filename == Path(walk.download).name
            expected = (fixture_kit / walk.download).read_bytes()
            if walk.download.endswith(".csv"):
                expected = csvexport.BOM + expected  # so that Excel reads the accents right
            assert Path(download.path()).read_bytes() == expected
        page.locator(".kit-context a").click()  # back to the kit's presentation, by the page's own link
        expect(page).to_have_url(f"{base}/kits/{walk.kit}/index.html")
    search(page, walk, base, shot, artifacts)


def search(page, walk: Walk, base: str, shot: str, artifacts: Path) -> None:
    """Type a French word in the search box and open the expected result (contract: shared search-ui notes)."""
    from playwright.sync_api import expect

    page.fill("#recherche-champ", walk.word)
    result = page.locator(f'li.recherche__resultat a.recherche__lien[href$="kits/{walk.kit}/{walk.found_in}"]')
    expect(result.first).to_be_visible()
    page.screenshot(path=artifacts / f"{shot}-4-recherche.png")
    result.first.click()
    expect(page).to_have_url(f"{base}/kits/{walk.kit}/{walk.found_in}")
    expect(page.locator("article")).to_contain_text(walk.word)


@pytest.mark.browser
@pytest.mark.parametrize("centre", sorted(AUDIENCES))
def test_unpacked_centre_works_from_disk(centre: str, browser, unpacked: dict[str, Path], artifacts: Path) -> None:
    traffic = Traffic(("file://",))
    context = browser.new_context(accept_downloads=True)
    traffic.watch(context)
    try:
        page = context.new_page()
        base = unpacked[centre].as_uri()
        page.goto(f"{base}/index.html")
        from playwright.sync_api import expect

        expect(page.locator(".centre-archive__hors-ligne")).to_have_text(OFFLINE_NOTE)
        expect(page.locator(".centre-archive__hors-ligne")).to_be_visible()
        expect(page.locator(".centre-archive__lien")).to_be_hidden()  # no link to a zip absent from the folder
        walk_centre(page, base, centre, f"hors-ligne-{centre}", artifacts)
    finally:
        context.close()
        assert not traffic.outside(), "requêtes hors du dossier :\n" + "\n".join(traffic.outside())
        assert not traffic.failures, "ressources introuvables :\n" + "\n".join(traffic.failures)
        assert not traffic.errors, "erreurs JavaScript :\n" + "\n".join(traffic.errors)


@pytest.mark.browser
@pytest.mark.parametrize("centre", sorted(AUDIENCES))
def test_centre_works_online(centre: str, browser, served: str, offline_site: Path, artifacts: Path) -> None:
    traffic = Traffic((served + "/",))
    context = browser.new_context(accept_downloads=True)
    traffic.watch(context)
    try:
        page = context.new_page()
        page.goto(f"{served}/index.html")  # the portal, then the centre from its card
        label = archive.size_label((offline_site / f"{centre}.zip").stat().st_size)
        expect_text = page.locator(f"#centre-{centre} .download").inner_text()
        assert f"(zip, {label})" in expect_text and "SHA-256" in expect_text, expect_text
        page.locator(f"#centre-{centre} h2 a").click()
        link = page.locator(".centre-archive__lien")
        from playwright.sync_api import expect

        expect(link).to_have_text(archive.DOWNLOAD_TEXT)
        expect(page.locator(".centre-archive__hors-ligne")).to_be_hidden()
        with page.expect_download() as info:
            link.click()
        assert Path(info.value.path()).read_bytes() == (offline_site / f"{centre}.zip").read_bytes()
        # The zip's size and checksum: on the portal's entry (seen above), which the banner links to.
        assert page.locator(".centre-archive__portail").evaluate("a => a.href") == f"{served}/index.html#centre-{centre}"
        walk_centre(page, f"{served}/{centre}", centre, f"en-ligne-{centre}", artifacts)
    finally:
        context.close()
        assert not traffic.outside(), "requêtes hors du site :\n" + "\n".join(traffic.outside())
        assert not traffic.failures, "ressources introuvables :\n" + "\n".join(traffic.failures)
        assert not traffic.errors, "erreurs JavaScript :\n" + "\n".join(traffic.errors)


def _accessible_nodes(context, page) -> list[tuple[str, str]]:
    """(role, name) of the nodes of Chromium's own accessibility tree that are exposed (not ignored)."""
    session = context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [((n.get("role") or {}).get("value", ""), n["name"]["value"]) for n in nodes
            if not n.get("ignored") and (n.get("name") or {}).get("value")]


# A kit whose « Voir aussi » leads to a kit of another centre: (centre, kit, the other kit, its title, its centre).
CROSS = ("associations", "evaluation-partenariale", "mecenat-solidaire", "Le mécénat de compétences", "fondations")


@pytest.mark.browser
@pytest.mark.parametrize("copy", ["hors-ligne", "en-ligne"])
def test_each_copy_shows_its_own_variants_to_every_reader(copy: str, browser, unpacked: dict[str, Path],
                                                          served: str) -> None:
    """From the unpacked zip, the offline banner and the local pages; online, the opposite. What a copy hides is
    hidden from the accessibility tree too, and online the page reads right without its stylesheets (RGAA 10.2)."""
    from playwright.sync_api import expect

    centre, kit, other_kit, other_title, other_centre = CROSS
    offline = copy == "hors-ligne"
    base = unpacked[centre].as_uri() if offline else f"{served}/{centre}"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/kits/{kit}/index.html")
        nodes = _accessible_nodes(context, page)
        names = " | ".join(name for _, name in nodes)
        shown, hidden = (OFFLINE_NOTE, archive.DOWNLOAD_TEXT) if offline else (archive.DOWNLOAD_TEXT, OFFLINE_NOTE)
        assert shown in names and hidden not in names, names
        links = [name for role, name in nodes if role == "link"]
        assert links.count(other_title) == 1, "le lien « Voir aussi » n'est annoncé qu'une fois"
        assert links.count("Tous les centres") == 2, links
        expect(page.get_by_text(shown)).to_be_visible()
        expect(page.get_by_text(hidden)).to_be_hidden()
        portal = page.get_by_role("link", name="Tous les centres", exact=True)
        expect(portal).to_have_count(2)  # header and footer, each once
        for href in portal.evaluate_all("links => links.map(a => a.href)"):
            expected = f"{base}/autres-centres.html" if offline else f"{served}/index.html"
            assert href == expected
        related = page.locator("article").get_by_role("link", name=other_title, exact=True)
        expect(related).to_have_count(1)
        related.click()
        if offline:
            expect(page).to_have_url(f"{base}/{elsewhere.FOLDER}/{other_kit}.html")
            expect(page.locator("article")).to_contain_text("ne fait pas partie de cette copie hors ligne")
        else:
            expect(page).to_have_url(f"{served}/{other_centre}/kits/{other_kit}/index.html")
        page.get_by_role("link", name="Tous les centres", exact=True).first.click()
        expect(page).to_have_url(f"{base}/autres-centres.html" if offline else f"{served}/index.html")
        if not offline:
            # Without any stylesheet, the online page still shows only the online variants.
            page.goto(f"{base}/kits/{kit}/index.html")
            page.evaluate("document.querySelectorAll('link[rel=stylesheet], style').forEach(e => e.remove())")
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "sticky"
            expect(page.get_by_text(OFFLINE_NOTE)).to_be_hidden()
            expect(page.get_by_role("link", name=archive.DOWNLOAD_TEXT)).to_be_visible()
            expect(page.get_by_role("link", name="Tous les centres", exact=True)).to_have_count(2)
            expect(page.locator("article").get_by_role("link", name=other_title, exact=True)).to_have_count(1)
    finally:
        context.close()
