"""The sidebar's bounded window of kits: the open section lists at most eleven kits and links to the full list."""
from __future__ import annotations

import importlib.util

from mkdocs.structure.nav import Link, Section

from conftest import ROOT
from kitcore.engines.mkdocs import sidebar


def test_window_small_sections_list_everything() -> None:
    assert list(sidebar.window(3, 1)) == [0, 1, 2]
    assert list(sidebar.window(11, None)) == list(range(11))


def test_window_centres_on_the_current_kit_and_stays_inside() -> None:
    assert list(sidebar.window(60, 30)) == list(range(25, 36))
    assert list(sidebar.window(60, 0)) == list(range(0, 11))
    assert list(sidebar.window(60, 59)) == list(range(49, 60))
    assert list(sidebar.window(60, None)) == list(range(0, 11))
    for current in range(60):
        shown = sidebar.window(60, current)
        assert current in shown and len(shown) == 11


class _Page:
    """Just what the hook reads of a page: activity, kind and address."""

    is_page, is_section, is_link, children = True, False, False, None

    def __init__(self, url: str, active: bool = False) -> None:
        self.url, self.active, self.parent = url, active, None


def _hook():
    spec = importlib.util.spec_from_file_location("centre_hook", ROOT / "hooks" / "kitcore" / "engines" / "mkdocs" / "hook.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_hook_trims_only_the_open_section() -> None:
    hook = _hook()
    kits = [Section(f"Kit {i}", [_Page(f"kits/k{i}/index.html", active=i == 40)]) for i in range(50)]
    open_section = Section("Enjeu", [_Page("enjeux/e/index.html")] + kits)
    open_section.active = True
    kits[40].active = True
    closed = Section("Autre", [_Page("enjeux/f/index.html")] + [Section("x", [_Page("kits/x/index.html")])] * 30)
    trimmed = hook._bounded(open_section)
    assert trimmed is not open_section and len(open_section.children) == 51  # the shared nav is left whole
    assert trimmed.active and trimmed.children[0].url == "enjeux/e/index.html"
    titles = [c.title for c in trimmed.children[1:-1]]
    assert titles == [f"Kit {i}" for i in range(35, 46)]
    more = trimmed.children[-1]
    assert isinstance(more, Link) and more.url == "enjeux/e/index.html" and "(50)" in more.title
    assert hook._bounded(closed) is closed
