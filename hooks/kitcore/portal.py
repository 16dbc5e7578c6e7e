"""The portal page (site/index.html): every centre with its description and number of kits."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from . import parts
from .archive import DOWNLOAD_TEXT
from .kits import Corpus
from .notfound import FAVICON_FILE
from .wording import count


@dataclass
class CentreSummary:
    """What the portal shows of one built centre."""

    id: str
    titre: str
    nom: str
    description: str
    kits: int
    archive: str | None = None
    archive_size: str | None = None
    archive_sha256: str | None = None
    # Other ways to take the centre away (open data, news feed, ZIM…): (link text, address from the portal).
    offers: list[tuple[str, str]] = field(default_factory=list)


STYLE = """
:root{--fg:#1d1d1f;--muted:#5a5a66;--bg:#f6f7fb;--card:#fff;--accent:#3949ab}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg);line-height:1.55}
header{background:var(--accent);color:#fff;padding:2.5rem 1.5rem}header h1{margin:0 0 .5rem;font-size:2rem}
header p{margin:0;max-width:48rem;opacity:.92}main{max-width:72rem;margin:0 auto;padding:2rem 1.5rem}
.centres{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1.25rem;list-style:none;padding:0;margin:0}
.centre{background:var(--card);border-radius:.5rem;padding:1.25rem 1.25rem 1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.centre h2{margin:0 0 .25rem;font-size:1.25rem}.centre a{color:var(--accent)}.public{color:var(--muted);font-size:.9rem;margin:0}
.count{font-weight:600}.offers{font-size:.9rem;margin:.5rem 0 0}.download{font-size:.9rem;margin:.75rem 0 0}.sha{font-family:monospace;font-size:.7rem;color:var(--muted);
word-break:break-all}.mode-emploi{color:var(--muted)}.evitement{position:absolute;left:-999rem}.evitement:focus{left:1rem;top:1rem;z-index:20;
padding:.5rem 1rem;background:#fff;color:var(--fg)}a:focus-visible,input:focus-visible{outline:3px solid #1d1d1f;outline-offset:2px}
header a:focus-visible{outline-color:#fff}main:focus{outline:none}footer{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem;color:var(--muted);font-size:.9rem}
"""


def _kits_label(n: int) -> str:
    return "aucun kit" if n == 0 else count(n, "kit")


def _shared_links(centres: list[CentreSummary]) -> str:
    # The shared pages (à propos, contribuer, licence) are in every centre: link the first centre's copy.
    if not centres:
        return ""
    base = escape(centres[0].id)
    links = [("a-propos.html", "À propos"), ("contribuer.html", "Contribuer"), ("licence.html", "Licence"),
             ("accessibilite.html", "Déclaration d'accessibilité")]
    return " " + " · ".join(f'<a href="{base}/{page}">{label}</a>' for page, label in links)


def _feed_link(feed: str | None) -> str:
    if not feed:
        return ""
    return f'\n<link rel="alternate" type="application/atom+xml" title="Kits nouveaux ou mis à jour" href="{escape(feed)}">'


def _feed_footer(feed: str | None) -> str:
    return f' · <a href="{escape(feed)}">Nouveautés de tous les centres (flux Atom)</a>' if feed else ""


def _offers(c: CentreSummary) -> str:
    if not c.offers:
        return ""
    return '<p class="offers">' + " · ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in c.offers) + "</p>"


def _editor_footer(editor: str | None) -> str:
    return f' · <a href="{escape(editor)}">Proposer ou modifier un kit en ligne (éditeur web)</a>' if editor else ""


def render_portal(corpus: Corpus, centres: list[CentreSummary], title: str = "Centres de ressources",
                  search_box: str = "", feed: str | None = None, editor: str | None = None) -> str:
    """Standalone HTML of the portal, with `search_box` (kitcore.search) in its header; opens from disk.

    `feed` is the address of the portal's Atom feed of new and updated kits, announced in the head and footer;
    `editor` the address of the web editor (kitcore.cms), for contributors, in the footer.
    """
    items = []
    for c in centres:
        download = ""
        if c.archive:
            # The centre's pages link here for the size and checksum: the zip they are in cannot state its own.
            download = (
                f'<p class="download"><a href="{escape(c.archive)}" download>{DOWNLOAD_TEXT}</a> '
                f"(zip, {escape(c.archive_size or '')})"
                + (f'<br><span class="sha">SHA-256 : {escape(c.archive_sha256)}</span>' if c.archive_sha256 else "")
                + f'<br><span class="mode-emploi">Décompressez l\'archive, puis ouvrez le fichier '
                f"{escape(c.id)}/index.html dans votre navigateur : le centre se consulte alors sans connexion.</span>"
                + "</p>"
            )
        items.append(
            f'<li class="centre" id="centre-{escape(c.id)}"><h2><a href="{escape(c.id)}/index.html">{escape(c.titre)}</a></h2>'
            f'<p class="public">Pour : {escape(c.nom)}</p><p>{escape(c.description)}</p>'
            f'<p class="count">{_kits_label(c.kits)}</p>{download}{_offers(c)}</li>'
        )
    total = len([k for k in corpus.kits if k.valid and not k.draft])
    challenges = ", ".join(escape(ch.nom) for ch in corpus.challenges)
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<meta name="description" content="Kits pratiques en accès libre, un centre de ressources par public.">
<link rel="icon" href="{FAVICON_FILE}" type="image/svg+xml">
<style>{STYLE}</style>{_feed_link(feed)}
</head>
<body>
<a class="evitement" href="#contenu">Aller au contenu</a>
<header><h1>{escape(title)}</h1>
<p>Des kits pratiques en accès libre, en {parts.counted(len(parts.PARTS))} : {parts.labels(parts.PARTS)}.
Un centre par public, autour des enjeux partagés : {challenges}.</p>{search_box}</header>
<main id="contenu" tabindex="-1">
<ul class="centres">
{chr(10).join(items)}
</ul>
</main>
<footer>{count(len(centres), "centre")}, {_kits_label(total)} {"publiés" if total > 1 else "publié"}. Contenus sous licence libre.{_shared_links(centres)}{_feed_footer(feed)}{_editor_footer(editor)}</footer>
</body>
</html>
"""
