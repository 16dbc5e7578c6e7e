"""The two copies of a centre, online and offline: the classes marking each variant of a page, and the stylesheet
that shows one variant and hides the other.

Every page carries both variants, rendered once from the model and the templates. The online variant is plain
markup with class ONLINE; the offline one is wrapped in `<span class="OFFLINE" hidden>`, so that the online site
is right even without its stylesheets (RGAA 10.2). The zip and the ZIM store the offline version of STYLESHEET
instead of the online one (kitcore.archive): no page is read back or rewritten.
"""
from __future__ import annotations

ONLINE = "seulement-en-ligne"
OFFLINE = "seulement-hors-ligne"
STYLESHEET = "assets/kitcore/copie.css"  # linked from every page by the theme (mkdocs.yml extra_css)


def stylesheet(offline: bool) -> bytes:
    """The stylesheet of the online site or of the offline copy: the other copy's variants get no box at all,
    which also hides them from assistive technologies."""
    if not offline:
        # `hidden` already hides the offline variants; !important keeps them hidden whatever a theme rule says.
        return f".{OFFLINE}{{display:none!important}}\n".encode()
    # The wrapper of an offline variant generates no box of its own (`contents`): its link lays out as it would
    # without the wrapper (in the header's flex row too), and author CSS overrides the `hidden` attribute.
    return f".{ONLINE}{{display:none!important}}\n.{OFFLINE}{{display:contents!important}}\n".encode()


def offline_only(html: str) -> str:
    """`html` as an offline variant: hidden online (even without CSS), shown by the offline stylesheet."""
    return f'<span class="{OFFLINE}" hidden>{html}</span>'
