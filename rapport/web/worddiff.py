"""Word-level comparison of two texts for side-by-side display.

``word_diff(a, b)`` splits both texts into words and the spaces between them and
lines them up with difflib; each side is a list of ``(kind, text)`` segments
(``same``, ``removed`` on the left, ``added`` on the right). The segments are plain
strings: templates print them with autoescaping, so user text stays inert.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed", "added"
    text: str


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(a: str, b: str) -> tuple[list[Segment], list[Segment], bool]:
    """(left segments, right segments, whether anything differs)."""
    left_tokens, right_tokens = tokens(a), tokens(b)
    matcher = difflib.SequenceMatcher(None, left_tokens, right_tokens, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    changed = False
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(left_tokens[i1:i2]), "".join(right_tokens[j1:j2])
        if op == "equal":
            left.append(Segment("same", old))
            right.append(Segment("same", new))
            continue
        changed = True
        if old:
            left.append(Segment("removed", old))
        if new:
            right.append(Segment("added", new))
    return left, right, changed
