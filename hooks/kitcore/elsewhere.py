"""What a centre says of the other centres: local pages for kits published elsewhere, for the offline copy.

Online, a « Voir aussi » link to a kit of another centre and the « Tous les centres » link go to the other
folders of the published site. A centre's zip holds that centre alone, so each such link has an offline variant
(kitcore.copies) leading to local pages built with every centre: one per kit of another centre that this centre
cites (`ailleurs/<kit>.html`), and one listing every centre (`autres-centres.html`), each saying where to find
the kit or centre online (when SITE_URL is known) and how to get the other centre's zip.
"""
from __future__ import annotations

from html import escape

from .blocks import Block, Heading, Html, Link, Literal, Page, Paragraph
from .kits import Audience, Corpus, Kit
from .typography import french_spacing

FOLDER = "ailleurs"
CENTRES_PAGE = "autres-centres"
KIT_CLASS = "lien-autre-centre"  # on « Voir aussi » links to another centre (kept by the sanitiser)
PORTAL_CLASS = "lien-portail"  # on the theme's « Tous les centres » links


def _page(path: str, title: str, content: list[Block]) -> Page:
    # Outside the navigation and the search: no sidebar, no table of contents.
    return Page(path, title, tuple(content), full_title=french_spacing(title), toc=False, navigation=False)


def _text(text: str) -> str:
    return escape(french_spacing(" ".join(text.split())), quote=False)


def cited_elsewhere(corpus: Corpus, kits: list[Kit], drafts: bool = False) -> list[Kit]:
    """The published kits of other centres that this centre's kits cite in « voir_aussi », sorted by id."""
    here = {k.id for k in kits}
    found: dict[str, Kit] = {}
    for kit in kits:
        for other in kit.voir_aussi:
            target = corpus.kit(other)
            if target is not None and target.valid and other not in here and (drafts or not target.draft):
                found[other] = target
    return [found[k] for k in sorted(found)]


def kit_page_path(kit_id: str) -> str:
    """Path, in a centre, of the local page about a kit of another centre."""
    return f"{FOLDER}/{kit_id}.md"


def kit_page_link(kit_id: str, from_dir: str) -> str:
    """Relative address of that local page's HTML from a page in `from_dir` (a raw HTML link: no `.md`)."""
    up = "../" * (from_dir.count("/") + 1 if from_dir else 0)
    return f"{up}{FOLDER}/{kit_id}.html"


def _online(site_url: str | None, path: str) -> str | None:
    return f"{site_url.rstrip('/')}/{path}" if site_url else None


def _zip_line(audience: Audience, site_url: str | None) -> str:
    name = f"{audience.id}.zip"
    where = _online(site_url, name)
    archive = f'<a href="{escape(where)}">{name}</a>' if where else f"<strong>{name}</strong>"
    return (f"<li>Hors ligne : téléchargez l'archive du centre {_text(audience.nom)} ({archive}) depuis le portail "
            "des centres, puis décompressez-la dans le même dossier que celle-ci.</li>")


def kit_page(kit: Kit, home: Audience, site_url: str | None) -> Page:
    """The local page about `kit`, published in the centre `home` but not in this one."""
    online = _online(site_url, f"{home.id}/kits/{kit.id}/index.html")
    ways = []
    if online:
        ways.append(f'<li>En ligne : <a href="{escape(online)}">{escape(online)}</a></li>')
    ways.append(_zip_line(home, site_url))
    body: list[Block] = [
        Heading(1, (Literal(french_spacing(kit.titre)),)),
        Html(f"<p>{_text(kit.resume)}</p>\n", kit.resume),
        Html(f"<p>Ce kit est publié dans le centre « {_text(home.titre_centre)} » ({_text(home.nom)}), qui ne fait "
             "pas partie de cette copie hors ligne.</p>\n"),
        Heading(2, ("Où le trouver",)),
        Html("<ul>" + "".join(ways) + "</ul>\n"),
        # Works once the other centre's zip is unpacked beside this one, as the page explains.
        Html(f'<p>Si l\'archive du centre {_text(home.nom)} est déjà décompressée à côté de celle-ci : '
             f'<a href="../../{escape(home.id)}/kits/{escape(kit.id)}/index.html">ouvrir le kit dans ce centre</a>.</p>\n'),
        Paragraph((Link(("Retour à l'accueil de ce centre",), "../index.md"),)),
    ]
    return _page(kit_page_path(kit.id), kit.titre, body)


def centres_page(corpus: Corpus, here: Audience, site_url: str | None) -> Page:
    """The local page listing every centre: where each is online, and its zip."""
    portal = _online(site_url, "index.html")
    items = []
    for a in corpus.audiences:
        if a.id == here.id:
            items.append(f"<li><strong>{_text(a.titre_centre)}</strong> ({_text(a.nom)}) : le centre que vous "
                         'consultez (<a href="index.html">accueil</a>).</li>')
            continue
        online = _online(site_url, f"{a.id}/index.html")
        where = f' : <a href="{escape(online)}">{escape(online)}</a>' if online else ""
        items.append(f"<li><strong>{_text(a.titre_centre)}</strong> ({_text(a.nom)}){where}, archive hors ligne "
                     f"<strong>{escape(a.id)}.zip</strong>.</li>")
    intro = (f'<p>Le portail de tous les centres est en ligne à l\'adresse <a href="{escape(portal)}">{escape(portal)}</a>.'
             "</p>" if portal else "<p>Chaque centre a sa propre archive hors ligne, à télécharger depuis le portail "
             "des centres, là où vous avez obtenu celle-ci.</p>")
    body: list[Block] = [
        Heading(1, ("Tous les centres",)),
        Html("<p>Cette copie hors ligne ne contient qu'un centre. Les autres centres de ressources :</p>\n"),
        Html("<ul>" + "".join(items) + "</ul>\n"),
        Html(intro + "\n"),
        Html("<p>Décompressez chaque archive dans un même dossier : les liens entre centres fonctionneront alors "
             "aussi hors ligne.</p>\n"),
    ]
    return _page(f"{CENTRES_PAGE}.md", "Tous les centres", body)


def local_pages(corpus: Corpus, audience: Audience, kits: list[Kit], site_url: str | None,
                drafts: bool = False) -> list[Page]:
    """Every local page about other centres that the centre of `audience` needs."""
    out = [centres_page(corpus, audience, site_url)]
    for kit in cited_elsewhere(corpus, kits, drafts):
        out.append(kit_page(kit, corpus.audience(kit.publics[0]), site_url))
    return out
