"""The French « Page introuvable » page of a centre and of the portal, standalone so that it works at any depth.

A web host serves 404.html in place of whatever address was missing, at any depth: relative links and
stylesheets would resolve against that address, not against the file. So the page carries its own style
(inline), its links are absolute when SITE_URL says where the sites live, and otherwise a small inline script
finds the sites' root from the missing address itself (the last folder named after a centre). Without
JavaScript and without SITE_URL the links assume the sites are served at the host's root.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from .colours import CentreColours, centre_colours

FILE = "404.html"
# A book, as the theme's logo, written at the sites' root by the build: without an icon of their own, browsers
# ask the host for /favicon.ico, a 404 in every console.
FAVICON_FILE = "favicon.svg"
FAVICON_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path fill='#3949ab' d='M19 2l-5 4.5v11l5-4.5V2M6.5 "
               "5C4.55 5 2.45 5.4 1 6.5v14.66c0 .25.25.5.5.5.1 0 .15-.07.25-.07 1.35-.65 3.3-1.09 4.75-1.09 1.95 0 4.05.4 "
               "5.5 1.5 1.35-.85 3.8-1.5 5.5-1.5 1.65 0 3.35.31 4.75 1.06.1.05.15.03.25.03.25 0 .5-.25.5-.5V6.5c-.6-.45-1.25"
               "-.75-2-1V19c-1.1-.35-2.3-.5-3.5-.5-1.7 0-4.15.65-5.5 1.5V6.5C10.55 5.4 8.45 5 6.5 5z'/></svg>\n")
PORTAL_COLOUR = "#3949ab"


@dataclass(frozen=True)
class CentreLink:
    """What the page says of one centre."""

    id: str
    nom: str
    titre: str


STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:#1d1d1f;background:#f6f7fb;line-height:1.55;font-size:1.05rem}
.evitement{position:absolute;left:-999rem}.evitement:focus{left:1rem;top:1rem;z-index:2;padding:.5rem 1rem;background:#fff;color:#1d1d1f}
header{background:var(--couleur);color:#fff;padding:1.25rem 1.5rem}header p{margin:0;font-weight:700;font-size:1.15rem}
header a{color:#fff}main{max-width:44rem;margin:0 auto;padding:2rem 1.5rem}h1{margin:0 0 1rem;font-size:1.9rem;line-height:1.2}
a{color:var(--couleur)}a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid #1d1d1f;outline-offset:2px}
ul{padding-left:1.25rem}li{margin:.4rem 0}form{margin:1.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
label{display:block;width:100%;font-weight:600}input{flex:1 1 12rem;min-width:0;font:inherit;padding:.45rem .6rem;border:1px solid #5a5a66;border-radius:.2rem}
button{font:inherit;padding:.45rem 1rem;border:0;border-radius:.2rem;background:var(--couleur);color:#fff;cursor:pointer}
.adresse{font-family:monospace;font-size:.9rem;word-break:break-all;color:#4a4a55}
footer{max-width:44rem;margin:0 auto;padding:0 1.5rem 3rem;color:#4a4a55;font-size:.9rem}
"""

# Rewrites the links when SITE_URL is unknown: the sites' root is the address up to the last folder named
# after a centre. Kept free of any outside request or dependency. A link's `data-vers` is a centre's id, or one
# of « :portail », « :icone », « :centre », which no id can be (a colon): a centre may be called « portail ».
SCRIPT = """
(function () {
  var page = document.documentElement, ids = JSON.parse(page.getAttribute("data-centres")),
      here = page.getAttribute("data-centre"), parts = location.pathname.split("/"), root = null, found = null;
  for (var i = parts.length - 2; i >= 0; i--) {
    if (ids.indexOf(parts[i]) >= 0) { found = parts[i]; root = parts.slice(0, i).join("/") + "/"; break; }
  }
  if (here && found !== here) root = null;  /* a centre served on its own, at the host's root */
  var centre = here || found, base = location.protocol === "file:" ? "file://" : "";
  document.querySelectorAll("[data-vers]").forEach(function (el) {
    var to = el.getAttribute("data-vers"), url = null;
    if (to === ":portail") url = root === null ? null : root + "index.html";
    else if (to === ":icone") url = root === null ? null : root + "favicon.svg";
    else if (to === ":centre") url = centre ? (root === null ? "/" : root + centre + "/") + "index.html" : null;
    else url = root === null ? null : root + to + "/index.html";
    if (url === null) { var item = el.closest("[data-masquable]"); if (item) item.hidden = true; return; }
    el.setAttribute(el.tagName === "FORM" ? "action" : "href", base + url);
  });
  var box = document.querySelector("[data-centre-courant]");
  if (box && !here && found) {
    box.hidden = false;
    box.querySelector("[data-nom]").textContent = box.getAttribute("data-nom-" + found) || found;
  }
})();
"""


def _absolute(site_url: str | None, path: str) -> str:
    if site_url:
        return f"{site_url.rstrip('/')}/{path}"
    return "/" + path


def render_not_found(centres: list[CentreLink], here: CentreLink | None = None, site_url: str | None = None,
                     colours: CentreColours | None = None) -> str:
    """Standalone HTML of a centre's 404 page (`here`) or of the portal's (`here` is None)."""
    colour = colours.primary if colours else PORTAL_COLOUR
    site_url = (site_url or "").strip() or None
    title = here.titre if here else "Centres de ressources"
    centre_home = _absolute(site_url, f"{here.id}/index.html") if here else ""
    links = []
    if here:
        links.append(f'<li><a href="{escape(centre_home)}" data-vers=":centre">Accueil du centre « {escape(here.titre)} »</a></li>')
    links.append(f'<li data-masquable><a href="{escape(_absolute(site_url, "index.html"))}" '
                 f'data-vers=":portail">Tous les centres de ressources</a></li>')
    others = "".join(
        f'<li><a href="{escape(_absolute(site_url, f"{c.id}/index.html"))}" data-vers="{escape(c.id)}">'
        f'{escape(c.titre)}</a> <small>({escape(c.nom)})</small></li>'
        for c in centres if not here or c.id != here.id
    )
    search = ""
    current = ""
    if here:
        search = (f'<form method="get" action="{escape(centre_home)}" data-vers=":centre" role="search">'
                  f'<label for="q">Rechercher dans ce centre</label>'
                  f'<input id="q" name="q" type="search" autocomplete="off">'
                  f'<button type="submit">Rechercher</button></form>')
    else:
        names = "".join(f' data-nom-{escape(c.id)}="{escape(c.nom)}"' for c in centres)
        current = (f'<p data-centre-courant hidden{names}>Cette adresse semble appartenir au centre '
                   f'<strong data-nom></strong> : sa page d\'accueil est dans la liste ci-dessous.</p>')
    ids = escape(json.dumps([c.id for c in centres]))
    script = "" if site_url else f"<script>{SCRIPT}</script>"
    return f"""<!doctype html>
<html lang="fr" data-centres="{ids}" data-centre="{escape(here.id) if here else ''}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Page introuvable - {escape(title)}</title>
<link rel="icon" href="{escape(_absolute(site_url, FAVICON_FILE))}" data-vers=":icone">
<style>:root{{--couleur:{colour}}}{STYLE}</style>
</head>
<body>
<a class="evitement" href="#contenu">Aller au contenu</a>
<header><p>{escape(title)}</p></header>
<main id="contenu" tabindex="-1">
<h1>Page introuvable</h1>
<p>L'adresse demandée ne correspond à aucune page{" de ce centre" if here else ""}. Elle a peut-être changé, ou
une faute de frappe s'y est glissée.</p>
{current}
{search}
<h2>Poursuivre</h2>
<ul>
{chr(10).join(links)}
</ul>
{f"<h2>Les autres centres</h2><ul>{others}</ul>" if here and others else (f"<ul>{others}</ul>" if others else "")}
</main>
<footer>Erreur 404 : page introuvable. Contenus sous licence libre.</footer>
{script}
</body>
</html>
"""


def centre_page(centres: list[CentreLink], here_id: str, colour_name: str, site_url: str | None) -> str:
    """The 404 page of the centre `here_id`, in its (checked) colour."""
    here = next(c for c in centres if c.id == here_id)
    return render_not_found(centres, here, site_url, centre_colours(colour_name))

