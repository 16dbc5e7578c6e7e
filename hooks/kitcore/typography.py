"""French typography for contributed Markdown: non-breaking spaces before « : ; ! ? » and inside guillemets."""
from __future__ import annotations

import functools
import re

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the usual choice before ; ! ?

FENCE = re.compile(r"^\s*(```|~~~)")  # opens or closes a fenced code block
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_URL = re.compile(r"<?https?://\S+|\]\([^)]*\)")
# The space before the mark, when the mark ends a word: followed by a space, the end, punctuation, or the end of
# bold/italic or of an HTML element (« **Qui :** »).
_BEFORE = re.compile(r"(?<=[^\s|:]) ([:;!?»])(?=\s|$|[,.)\]*_<\"'’])")
_OPEN_QUOTE = re.compile(r"« ")


def _fix_line(line: str) -> str:
    if _TABLE_RULE.match(line) or line.lstrip().startswith(("!!!", "???", ":", "|:")):
        return line
    # Keep code spans and link targets untouched: split them out, fix the rest, put them back.
    pieces = []
    last = 0
    for m in sorted(list(_CODE_SPAN.finditer(line)) + list(_URL.finditer(line)), key=lambda m: m.start()):
        if m.start() < last:
            continue
        pieces.append((False, line[last:m.start()]))
        pieces.append((True, m.group(0)))
        last = m.end()
    pieces.append((False, line[last:]))
    out = []
    for protected, text in pieces:
        if not protected:
            text = _BEFORE.sub(lambda m: (NBSP if m.group(1) in ":»" else NNBSP) + m.group(1), text)
            text = _OPEN_QUOTE.sub("«" + NBSP, text)
        out.append(text)
    return "".join(out)


# Pure function of its text: the live preview regenerates every page on each edit, and most texts are unchanged.
@functools.lru_cache(maxsize=4096)
def french_spacing(markdown: str) -> str:
    """Apply French spacing rules outside code blocks, code spans, URLs and Markdown syntax lines."""
    lines = markdown.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            lines[i] = _fix_line(line)
    return "\n".join(lines)
