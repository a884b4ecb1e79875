"""A word-by-word comparison of two texts, readable by people reviewing commentary.

Texts are split into words and the spaces between them; a change of several words reads as
one deletion followed by one insertion, not as a patchwork of single words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "delete", "insert"]
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``: equal, delete and insert, in reading order."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(Segment("insert", "".join(b[j1:j2])))
    return _merge(_absorb_spaces(raw))


def similarity(old: str, new: str) -> float:
    """0 (nothing in common) to 1 (the same words), measured on words alone."""
    a, b = old.split(), new.split()
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _absorb_spaces(segments: list[Segment]) -> list[Segment]:
    """A lone space kept between two changes belongs to both sides of the change."""
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        between = 0 < i < len(segments) - 1
        if (
            seg.op == "equal"
            and between
            and not seg.text.strip()
            and "\n" not in seg.text
            and segments[i - 1].op != "equal"
            and segments[i + 1].op != "equal"
        ):
            out.append(Segment("delete", seg.text))
            out.append(Segment("insert", seg.text))
        else:
            out.append(seg)
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Group each run of changes into one deletion then one insertion."""
    out: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(Segment("delete", "".join(deleted)))
        if inserted:
            out.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for seg in segments:
        if seg.op == "delete":
            deleted.append(seg.text)
        elif seg.op == "insert":
            inserted.append(seg.text)
        else:
            flush()
            if out and out[-1].op == "equal":
                out[-1] = Segment("equal", out[-1].text + seg.text)
            else:
                out.append(seg)
    flush()
    return out
