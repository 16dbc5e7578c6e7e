"""Linear scanning of contributed text: bounded patterns, code spans by a tokenizer, line numbers by bisection."""
from __future__ import annotations

import bisect
import functools
import re
import re._parser as _sre_parse  # the standard library's own pattern parser: it knows each pattern's widest match

# Every pattern run on contributed text matches at most this many characters: a scan tries each position once,
# so its work is at most (text length × this bound), whatever the text. The longest legitimate construct (a
# link with its text, a tag with its attributes, a template call) is far shorter.
MAX_SPAN = 4096


def widest(pattern: str | re.Pattern[str], flags: int = 0) -> int:
    """The most characters one match of the pattern can span (MAXREPEAT when unbounded)."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    return _widest(pattern, flags & ~re.UNICODE)


@functools.lru_cache(maxsize=256)
def _widest(pattern: str, flags: int) -> int:
    return int(_sre_parse.parse(pattern, flags).getwidth()[1])


def bounded(pattern: str, flags: int = 0, limit: int = 64 * MAX_SPAN) -> re.Pattern[str]:
    """Compile a pattern for contributed text, refusing at import time one whose match could grow with the text."""
    compiled = re.compile(pattern, flags)
    width = widest(compiled)
    if width > limit:
        raise ValueError(f"pattern may span {width} characters, more than {limit}: {pattern!r}")
    return compiled


class LineIndex:
    """Line numbers of offsets in one text, each in O(log lines) (counting newlines per match was quadratic)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        """The 1-based line holding `offset`."""
        return bisect.bisect_right(self._starts, offset)


_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span, as Markdown pairs backtick runs: an opening run is closed by the
    next run of the same length in the same paragraph; a run after a backslash opens nothing. Linear: each run
    is visited once, its partner found through a table of the next run of each length."""
    spans: list[tuple[int, int]] = []
    if "`" not in text:
        return spans
    paragraph_ends = [m.start() for m in _BLANK_LINE.finditer(text)] + [len(text)]
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = last.get(length)
        last[length] = i
    i = 0
    while i < len(runs):
        start, end = runs[i]
        partner = following[i]
        escaped = start > 0 and text[start - 1] == "\\"
        if partner is not None and not escaped:
            paragraph_end = paragraph_ends[bisect.bisect_left(paragraph_ends, start)]
            if runs[partner][0] < paragraph_end:
                spans.append((start, runs[partner][1]))
                i = partner + 1
                continue
        i += 1
    return spans


# Openings the Markdown engine looks for a close of, over the rest of the block or of the page: a tag, a link
# text, a link address. Python-Markdown's work grows with the square of how many never close (« <a » repeated
# 5 000 times takes it seconds, 120 000 times most of an hour), so a part may hold only a few.
_TAG_OPENING = re.compile(r"<[A-Za-z!/?]")
_ADDRESS_OPENING = re.compile(r"\]\(")


def unclosed_openings(text: str) -> tuple[int, int | None]:
    """How many « <tag », « [ » and « ]( » do not close on their own line, and the line of the first one."""
    count, first = 0, None
    for number, line in enumerate(text.split("\n"), 1):
        found = 0
        if "<" in line:
            found += len(_TAG_OPENING.findall(line, line.rfind(">") + 1))
        if "[" in line:
            found += line.count("[", line.rfind("]") + 1)
        if "](" in line:
            found += len(_ADDRESS_OPENING.findall(line, line.rfind(")") + 1))
        if found:
            count += found
            first = first or number
    return count, first
