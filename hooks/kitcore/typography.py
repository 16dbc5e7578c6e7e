"""French typography for contributed Markdown: non-breaking spaces before « : ; ! ? » and inside guillemets."""
from __future__ import annotations

import functools
import re

from . import spans

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, the usual choice before ; ! ?

# Bounded patterns only (spans.bounded): they run on every line of contributed text.
_FENCE = spans.bounded(r"^ {0,3}(?:`{3}|~{3})")
_TABLE_RULE = spans.bounded(r"^[ \t]{0,64}\|?[ \t]{0,64}:?-{2}")
_URL = spans.bounded(r"<?https?://\S{1,4096}+|\]\([^()\[\]\n]{0,4096}+\)")
# The space before the mark, when the mark ends a word: followed by a space, the end, punctuation, or the end of
# bold/italic or of an HTML element (« **Qui :** »).
_BEFORE = spans.bounded(r"(?<=[^\s|:]) ([:;!?»])(?=\s|$|[,.)\]*_<\"'’])")
_OPEN_QUOTE = spans.bounded(r"« ")


def _fix_line(line: str) -> str:
    if _TABLE_RULE.match(line) or line.lstrip().startswith(("!!!", "???", ":", "|:")):
        return line
    # Keep code spans and link targets untouched: split them out, fix the rest, put them back.
    pieces = []
    last = 0
    shielded = sorted(spans.code_spans(line) + [m.span() for m in _URL.finditer(line)])
    for start, end in shielded:
        if start < last:
            continue
        pieces.append((False, line[last:start]))
        pieces.append((True, line[start:end]))
        last = end
    pieces.append((False, line[last:]))
    out = []
    for protected, text in pieces:
        if not protected:
            text = _BEFORE.sub(lambda m: (NBSP if m.group(1) in ":»" else NNBSP) + m.group(1), text)
            text = _OPEN_QUOTE.sub("«" + NBSP, text)
        out.append(text)
    return "".join(out)


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (its fences included).

    A block closes only on a fence of the same character, at least as long as the one that opened it, as in
    CommonMark: a ``` line inside a ~~~ block is code, not the end of the block.
    """
    flags, opener = [], ""
    for line in lines:
        m = _FENCE.match(line)
        fence, rest = "", ""
        if m:
            start = m.end() - 3
            mark = line[start]
            rest = line[start:].lstrip(mark)
            fence = line[start:len(line) - len(rest)]
        if opener:
            flags.append(True)
            if fence and fence[0] == opener[0] and len(fence) >= len(opener) and not rest.strip():
                opener = ""
        elif fence:
            flags.append(True)
            opener = fence
        else:
            flags.append(False)
    return flags


# Pure function of its text: the live preview regenerates every page on each edit, and most texts are unchanged.
@functools.lru_cache(maxsize=4096)
def french_spacing(markdown: str) -> str:
    """Apply French spacing rules outside code blocks, code spans, URLs and Markdown syntax lines."""
    lines = markdown.split("\n")
    return "\n".join(line if code else _fix_line(line) for line, code in zip(lines, code_lines(lines)))
