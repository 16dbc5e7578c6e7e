"""The page the live preview shows in place of a centre page when the kits or the code cannot be rendered."""
from __future__ import annotations

from html import escape

from .problems import Problem

STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d1d1f;background:#fff6f5;line-height:1.5}
main{max-width:60rem;margin:0 auto;padding:2rem 1.5rem}h1{color:#b3261e;font-size:1.6rem;margin:0 0 .5rem}
ol{padding-left:1.25rem}li{margin:.75rem 0;background:#fff;border-left:4px solid #b3261e;padding:.6rem .9rem;list-style-position:inside}
li.avertissement{border-color:#c77700}.where{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600;display:block}
pre{background:#fff;border:1px solid #e0c5c2;padding:1rem;overflow:auto;font-size:.85rem}.hint{color:#5a5a66}
"""


FIX_HINT = "L'aperçu reste actif : corrigez le fichier et enregistrez-le, cette page se rechargera d'elle-même."
BACK_HINT = "L'aperçu reste actif : revenez à la page précédente ou au portail."


def render_error_page(title: str, intro: str, problems: list[Problem] | None = None, detail: str | None = None,
                      hint: str = FIX_HINT) -> str:
    """Standalone French HTML page listing problems (file, line, message), optional technical detail and a hint."""
    items = []
    for p in problems or []:
        items.append(f'<li class="{escape(p.severity)}"><span class="where">{escape(p.where)}</span>'
                     f"{escape(p.prefix + p.message)}</li>")
    listing = f"<ol>{''.join(items)}</ol>" if items else ""
    technical = f"<pre>{escape(detail)}</pre>" if detail else ""
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — aperçu</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p>{escape(intro)}</p>
{listing}
{technical}
<p class="hint">{escape(hint)}</p>
</main>
</body>
</html>
"""
