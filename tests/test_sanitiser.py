"""The second line of defence: the HTML sanitiser and the hook's rule that only docs/ pages are trusted."""
from __future__ import annotations

import re
from types import SimpleNamespace
from pathlib import Path

import pytest

from kitcore import markup
from kitcore.engines.material import dialect, theme

ROOT = Path(__file__).resolve().parent.parent

DANGEROUS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<img src="https://pisteur.example/p.png">',
    '<img src="/etc/passwd">',
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<iframe src="https://x"></iframe>',
    '<object data="x"></object><embed src="x">',
    '<form action="https://x"><input type="password"></form>',
    '<style>*{display:none}</style><p style="position:fixed">x</p>',
    '<base href="https://x/"><meta http-equiv="refresh" content="0;url=https://x"><link rel="stylesheet" href="x">',
    '<div id="__config">{}</div><label for="__drawer">x</label>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<details ontoggle="alert(1)" open>x</details>',
    '<pre class="mermaid">graph TD; A-->B</pre><div class="Mermaid">x</div>',
    '<div class="md-version" data-md-component="outdated">x</div><a class="md-search__link">y</a>',
]


@pytest.mark.parametrize("html", DANGEROUS)
def test_sanitiser_leaves_nothing_active(html: str) -> None:
    out = theme.clean_html(html)
    for pattern in (r"<script", r"<iframe", r"<object", r"<embed", r"<form", r"<style", r"<base", r"<meta", r"<link",
                    r"\son[a-z]+=", r"\sstyle=", r"javascript", r"vbscript", r"data:", r'id="__', r'for="__',
                    r'type="password"', r"https://pisteur", r'src="/', r"mermaid", r'class="md-(?!button)',
                    r"data-md"):
        assert not re.search(pattern, out, re.I), (pattern, out)


def test_sanitiser_keeps_buttons_and_other_classes() -> None:
    out = theme.clean_html('<a class="md-button md-button--primary" href="fichiers/a.csv">A</a>'
                            '<pre class="mermaid language-text x">t</pre>')
    assert 'class="md-button md-button--primary"' in out and '<pre class="language-text x">' in out


def test_sanitiser_keeps_material_markup() -> None:
    html = ('<div class="admonition note"><p class="admonition-title">Note</p></div>'
            '<span class="twemoji"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 2"/></svg>'
            '</span><table><thead><tr><th>a</th></tr></thead></table><sup id="fnref:1"><a class="footnote-ref" '
            'href="#fn:1">1</a></sup><div class="highlight"><pre><span></span><code><span class="nb">print</span>'
            '</code></pre></div><input type="checkbox" disabled checked><details open><summary>s</summary></details>'
            '<img alt="a" src="fichiers/a.png"><abbr title="t">T</abbr>')
    out = theme.clean_html(html)
    for kept in ('class="admonition note"', 'viewBox="0 0 24 24"', "<table>", 'id="fnref:1"', 'href="#fn:1"',
                 '<span class="nb">print</span>', 'type="checkbox"', "<details open", 'src="fichiers/a.png"',
                 '<abbr title="t">'):
        assert kept in out, kept


def test_template_text_escapes_markup_for_the_theme() -> None:
    assert dialect.template_text('A & B <script>"x"</script>') == "A & B &lt;script&gt;&quot;x&quot;&lt;/script&gt;"


def test_hook_distrusts_every_page_outside_docs() -> None:
    """Generated pages (File.generated_by is set by MkDocs 1.6) lose render_macros whatever their front matter."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    import importlib.util

    spec = importlib.util.spec_from_file_location("centre_hook_under_test", ROOT / "hooks" / "kitcore" / "engines" / "mkdocs" / "hook.py")
    hook = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(hook)
    hook._state["centre"] = SimpleNamespace(pages=[])  # no kit page has an edit link to point
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(ROOT / "docs")})
    config.validate()
    config.plugins._current_plugin = None  # what MkDocs sets while it runs a plugin event
    generated = File.generated(config, "kits/k/cadre-de-reference.md", content="---\nrender_macros: true\n---\nx")
    assert generated.generated_by is not None
    page = Page(None, generated, config)
    page.meta = {"render_macros": True}
    hook.on_page_markdown("x", page=page, config=config, files=None)
    assert page.meta["render_macros"] is False
    assert hook.on_page_content("<script>x</script><p>y</p>", page=page, config=config, files=None) == "<p>y</p>"
    trusted = File("a-propos.md", str(ROOT / "docs"), str(ROOT / "site"), False)
    docs_page = Page(None, trusted, config)
    docs_page.meta = {"render_macros": True}
    hook.on_page_markdown("x", page=docs_page, config=config, files=None)
    assert docs_page.meta["render_macros"] is True


def test_the_core_sanitiser_reserves_no_theme_class_and_the_adapter_reserves_materials() -> None:
    html = '<div class="mermaid md-sidebar md-button note">x</div>'
    assert markup.clean_html(html) == html  # the mechanism alone knows no theme
    assert theme.clean_html(html) == '<div class="md-button note">x</div>'
    assert markup.Sanitiser(lambda name: name == "note").clean(html) == '<div class="mermaid md-sidebar md-button">x</div>'
