"""Accessibility in real Chromium: axe-core (pinned in package.json) on every page type of every centre and the
portal, online and from the unpacked zips, plus what axe cannot see (skip link, announcements, keyboard, reflow,
focus). RGAA 4.1 / WCAG 2.1 AA: no critical or serious violation is accepted."""
from __future__ import annotations

import functools
import os
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT
from kitcore import parts

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe-core 4.14 tag names: WCAG 2.0 and 2.1 levels A and AA, and the rules axe maps to RGAA 4.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]
BLOCKING = ("critical", "serious")
AUDIENCES = [a["id"] for a in yaml.safe_load((ROOT / "kits" / "publics.yml").read_text(encoding="utf-8"))]
PARTS = [p.id for p in parts.PARTS]
TOOLBOX = next(p.id for p in parts.PARTS if p.downloads)
SEARCH_WORD = "partenariat"


def axe_source() -> str:
    """axe-core's script, installed by `npm ci` (make test): a failure under CI, a skip elsewhere."""
    if not AXE.is_file():
        message = "axe-core absent : lancez « npm ci » (make test le fait)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


class NotFoundHandler(SimpleHTTPRequestHandler):
    """A static host that answers a missing address with the nearest 404.html above it, as hosts do, under an
    optional `prefix` (a site published in a sub-folder)."""

    prefix = ""
    root_only = False  # GitHub Pages: only the site's root 404.html is ever served

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass

    def send_head(self):  # noqa: D401 - the stdlib's hook
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix + "/"):
            self.send_error(404)
            return None
        self.path = path[len(self.prefix):] or "/"
        local = Path(self.translate_path(self.path))
        if local.exists():
            return super().send_head()
        root = Path(self.directory).resolve()
        folder = root if self.root_only else local.parent
        while True:
            candidate = folder / "404.html"
            if candidate.is_file():
                body = candidate.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
            if folder.resolve() == root or root not in folder.resolve().parents:
                break
            folder = folder.parent
        self.send_error(404)
        return None


def serve(site: Path, prefix: str = "", root_only: bool = False) -> tuple[ThreadingHTTPServer, str]:
    """Serve `site` on 127.0.0.1 under `prefix`; returns the server and the site's base URL."""
    handler = type("Handler", (NotFoundHandler,), {"prefix": prefix, "root_only": root_only})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.fixture(scope="module")
def online(built_site: Path) -> Iterator[str]:
    server, base = serve(built_site)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def offline(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each centre's zip unpacked alone, as a reader does: centre id → its folder."""
    out = tmp_path_factory.mktemp("a11y-zips")
    folders = {}
    for centre in AUDIENCES:
        with zipfile.ZipFile(built_site / f"{centre}.zip") as zf:
            zf.extractall(out / centre)
        folders[centre] = out / centre / centre
    return folders


def page_types(folder: Path, offline: bool = False) -> dict[str, str]:
    """One page of each type in a centre (type → path relative to the centre's root)."""
    kits = sorted(p.parent.name for p in (folder / "kits").glob("*/index.html"))
    challenges = sorted(p.parent.name for p in (folder / "enjeux").glob("*/index.html"))
    kit = kits[0]
    types = {"accueil": "index.html", "enjeu": f"enjeux/{challenges[0]}/index.html", "kit": f"kits/{kit}/index.html"}
    types.update({f"partie-{part}": f"kits/{kit}/{part}.html" for part in PARTS})
    types["imprimable"] = f"kits/{kit}/imprimer.html"
    if offline:
        # What only a zip's reader reaches: the local pages about the other centres (kitcore.elsewhere).
        types["autres-centres"] = "autres-centres.html"
        elsewhere = sorted((folder / "ailleurs").glob("*.html"))
        if elsewhere:
            types["ailleurs"] = f"ailleurs/{elsewhere[0].name}"
    else:
        types["page-commune"] = "accessibilite.html"
    return types


def violations(page, axe: str) -> list[str]:
    """axe-core's critical and serious violations on the page as it stands, one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe)
    # Colours are judged as they stand: a transition still running (Material's « back to top » button fading in
    # after a scroll) would be measured half-blended. Two frames let the theme react to the last event first.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))).then(() => "
                  "Promise.all(document.getAnimations().filter(a => a.effect && "
                  "a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished.catch(() => null))))")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    out = []
    for v in result["violations"]:
        if v["impact"] in BLOCKING:
            for node in v["nodes"][:5]:
                out.append(f"{v['impact']} {v['id']} {node['target']} : {node['failureSummary'][:300]}")
    return out


def open_search(page, word: str = SEARCH_WORD) -> None:
    """Type a word in the search box and wait for the results to be shown."""
    page.fill("#recherche-champ", word)
    page.wait_for_selector("li.recherche__resultat")


def audit_centre(browser, axe: str, base: str, folder: Path, missing: str, offline: bool) -> list[str]:
    """axe on every page type of one centre, the search results open on its home, and its 404 (`missing`)."""
    problems = []
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        for kind, rel in page_types(folder, offline).items():
            page.goto(f"{base}/{rel}")
            problems += [f"{kind} ({rel}) : {p}" for p in violations(page, axe)]
            if kind == "accueil":
                open_search(page)
                problems += [f"recherche ouverte : {p}" for p in violations(page, axe)]
        page.goto(missing)
        assert page.locator("h1").inner_text() == "Page introuvable"
        problems += [f"404 : {p}" for p in violations(page, axe)]
    finally:
        context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("centre", AUDIENCES)
def test_every_page_type_passes_axe_online(centre: str, browser, built_site: Path, online: str) -> None:
    axe = axe_source()
    problems = audit_centre(browser, axe, f"{online}/{centre}", built_site / centre,
                            f"{online}/{centre}/kits/absent/nulle-part.html", offline=False)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("centre", AUDIENCES)
def test_every_page_type_passes_axe_from_the_unpacked_zip(centre: str, browser, offline: dict[str, Path]) -> None:
    axe = axe_source()
    folder = offline[centre]
    problems = audit_centre(browser, axe, folder.as_uri(), folder, (folder / "404.html").as_uri(), offline=True)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_portal_passes_axe_online_and_from_disk(browser, built_site: Path, online: str) -> None:
    axe = axe_source()
    problems = []
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        for base in (online, built_site.as_uri()):
            page.goto(f"{base}/index.html")
            problems += [f"{base} portail : {p}" for p in violations(page, axe)]
            open_search(page)
            problems += [f"{base} recherche ouverte : {p}" for p in violations(page, axe)]
        page.goto(f"{online}/page-absente.html")
        assert page.locator("h1").inner_text() == "Page introuvable"
        problems += [f"404 du portail : {p}" for p in violations(page, axe)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------- what axe does not see

def _tab_until(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} jamais atteint au clavier en {limit} tabulations")


@pytest.mark.browser
def test_skip_link_moves_keyboard_focus_to_the_content(browser, online: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        # Portal: the first Tab reaches « Aller au contenu », Enter puts the focus on <main>.
        page.goto(f"{online}/index.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
        assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0"), "lien d'évitement visible au focus"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "contenu"
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')")
        # A centre page: Material's skip link, then the next Tab lands inside the article, not in the header.
        page.goto(f"{online}/associations/index.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('md-skip')")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('article, .md-content')"), \
            page.evaluate("document.activeElement.outerHTML")
    finally:
        context.close()


@pytest.mark.browser
def test_search_results_are_announced(browser, online: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        for url in (f"{online}/index.html", f"{online}/associations/index.html"):
            page.goto(url)
            open_search(page)
            live = page.locator("#recherche-resultats")
            assert live.get_attribute("aria-live") == "polite"
            # The status line, inside the live region, says how many results were found.
            assert "résultat" in live.locator(".recherche__etat").inner_text()
            assert page.locator("#recherche-champ").get_attribute("aria-controls") == "recherche-resultats"
    finally:
        context.close()


@pytest.mark.browser
def test_a_download_is_reachable_with_the_keyboard_alone(browser, online: str, built_site: Path) -> None:
    toolbox = next(p for p in sorted((built_site / "associations" / "kits").glob(f"*/{TOOLBOX}.html"))
                   if "download" in p.read_text(encoding="utf-8"))
    rel = toolbox.relative_to(built_site).as_posix()
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{online}/{rel}")
        _tab_until(page, "article a[download]", limit=80)
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        assert Path(info.value.path()).stat().st_size > 0
    finally:
        context.close()


@pytest.mark.browser
def test_pages_reflow_at_320_px_without_horizontal_scrolling(browser, online: str, built_site: Path) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    wide = []
    try:
        page = context.new_page()
        urls = [f"{online}/index.html", f"{online}/page-absente.html"]
        # Every page type of one centre (the layout is shared), the home of the others (titles differ).
        urls += [f"{online}/{AUDIENCES[0]}/{rel}" for rel in page_types(built_site / AUDIENCES[0]).values()]
        urls += [f"{online}/{centre}/index.html" for centre in AUDIENCES[1:]]
        for url in urls:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide.append(f"{url} : {width} px")
    finally:
        context.close()
    assert not wide, "défilement horizontal à 320 px :\n" + "\n".join(wide)


@pytest.mark.browser
def test_keyboard_focus_is_visible(browser, online: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        for url, selector in ((f"{online}/associations/index.html", "article a"),
                              (f"{online}/index.html", "main a"),
                              (f"{online}/associations/kits/absent.html", "main a")):
            page.goto(url)
            _tab_until(page, selector)
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
            assert style["style"] != "none" and style["width"] >= 1.5, (url, style)
    finally:
        context.close()
