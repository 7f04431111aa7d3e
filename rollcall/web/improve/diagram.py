"""The driver diagram: written as an outline in a plain text box, read into a tree, drawn as an
SVG of four columns (aim, primary drivers, secondary drivers, change ideas) joined by lines.

The outline, one item a line (blank lines are ignored)::

    # A primary driver
    ## A secondary driver
    - A change idea

A secondary driver belongs to the primary driver above it, a change idea to the secondary driver
above it. The page shows the same tree as nested lists beside the drawing, so nothing in the
picture is only in the picture.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext

MAX_LINES = 200
MAX_TEXT = 300


@dataclass(frozen=True)
class Secondary:
    text: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Primary:
    text: str
    secondaries: tuple[Secondary, ...]


@dataclass(frozen=True)
class Diagram:
    primaries: tuple[Primary, ...]

    @property
    def change_ideas(self) -> list[str]:
        """Every change idea once, in the order of the outline."""
        seen: dict[str, None] = {}
        for p in self.primaries:
            for s in p.secondaries:
                for c in s.changes:
                    seen.setdefault(c, None)
        return list(seen)


class OutlineError(ValueError):
    """The outline cannot be read: ``problems`` are (line number, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {n}: {m}" for n, m in problems))
        self.problems = problems


def parse(outline: str) -> Diagram:
    """The diagram an outline describes; every line that cannot be placed is a problem named by
    its line number."""
    tree: list[tuple[str, list[tuple[str, list[str]]]]] = []
    problems: list[tuple[int, str]] = []
    lines = outline.splitlines()
    if len(lines) > MAX_LINES:
        raise OutlineError([(MAX_LINES + 1, gettext("a diagram has at most 200 lines"))])
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        marker, _, text = line.partition(" ")
        text = text.strip()
        if marker not in ("#", "##", "-"):
            problems.append((number, gettext("start the line with #, ## or -")))
            continue
        if not text:
            problems.append((number, gettext("write the driver or change idea after the mark")))
        elif len(text) > MAX_TEXT:
            problems.append((number, gettext("keep it under 300 characters")))
        elif marker == "#":
            tree.append((text, []))
        elif marker == "##":
            if not tree:
                problems.append(
                    (number, gettext("a secondary driver needs a primary driver above it"))
                )
            else:
                tree[-1][1].append((text, []))
        elif not tree or not tree[-1][1]:
            problems.append((number, gettext("a change idea needs a secondary driver above it")))
        else:
            tree[-1][1][-1][1].append(text)
    if not tree and not problems:
        problems.append((1, gettext("write at least one primary driver, starting with #")))
    if problems:
        raise OutlineError(problems)
    return Diagram(
        tuple(
            Primary(p, tuple(Secondary(s, tuple(c)) for s, c in secondaries))
            for p, secondaries in tree
        )
    )


# --- drawing --------------------------------------------------------------------------------

COLUMN_X = (10, 250, 490, 730)
BOX_WIDTH = 220
ROW = 64
TOP = 40
INK, LINE, BOX = "#222222", "#4a6f8a", "#f4f7fa"
FONT = "font-family='Helvetica, Arial, sans-serif'"
WRAP = 30


def _box(x: float, y: float, height: float, text: str) -> list[str]:
    lines = textwrap.wrap(text, WRAP)[:4] or [""]
    if len(textwrap.wrap(text, WRAP)) > 4:
        lines[-1] = lines[-1][: WRAP - 1] + "…"
    first = y + height / 2 - (len(lines) - 1) * 7 + 4
    out = [
        f"<rect x='{x}' y='{y:.1f}' width='{BOX_WIDTH}' height='{height - 8:.1f}' rx='6' "
        f"fill='{BOX}' stroke='{LINE}'/>"
    ]
    out.extend(
        f"<text x='{x + 8}' y='{first + 14 * i - 4:.1f}' font-size='12' {FONT} fill='{INK}'>"
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return out


def _join(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"<path d='M{x1:.1f},{y1:.1f} C{x1 + 15:.1f},{y1:.1f} {x2 - 15:.1f},{y2:.1f} {x2:.1f},{y2:.1f}' fill='none' stroke='{LINE}'/>"  # noqa: E501


def describe(aim: str, diagram: Diagram) -> str:
    """The diagram in words: its text alternative."""
    parts = [gettext("Driver diagram. Aim: %(aim)s.") % {"aim": aim}]
    for p in diagram.primaries:
        parts.append(gettext("Primary driver: %(text)s.") % {"text": p.text})
        for s in p.secondaries:
            changes = "; ".join(s.changes) or gettext("no change idea yet")
            parts.append(
                gettext("Secondary driver: %(text)s; change ideas: %(changes)s.")
                % {"text": s.text, "changes": changes}
            )
    return " ".join(parts)


def diagram_svg(aim: str, diagram: Diagram) -> str:
    """Aim, primary and secondary drivers and change ideas in four columns, each box joined to
    the boxes it drives; one row per change idea (or per driver without one)."""
    body: list[str] = []
    headings = (gettext("Aim"), gettext("Primary drivers"), gettext("Secondary drivers"),
                gettext("Change ideas"))  # fmt: skip
    for x, heading in zip(COLUMN_X, headings, strict=True):
        body.append(
            f"<text x='{x}' y='24' font-size='13' font-weight='bold' {FONT} fill='{INK}'>"
            f"{escape(heading)}</text>"
        )
    row = 0
    primary_boxes = []
    for primary in diagram.primaries:
        p_top = row
        for secondary in primary.secondaries or (Secondary("", ()),):
            s_top = row
            for change in secondary.changes:
                y = TOP + row * ROW
                body.extend(_box(COLUMN_X[3], y, ROW, change))
                row += 1
            row = max(row, s_top + 1)
            if secondary.text:
                y, height = TOP + s_top * ROW, (row - s_top) * ROW
                body.extend(_box(COLUMN_X[2], y + (height - ROW) / 2, ROW, secondary.text))
                mid = y + height / 2 - 4
                body.extend(
                    _join(COLUMN_X[2] + BOX_WIDTH, mid, COLUMN_X[3], TOP + r * ROW + ROW / 2 - 4)
                    for r in range(s_top, s_top + len(secondary.changes))
                )
                primary_boxes.append((p_top, mid))
        y, height = TOP + p_top * ROW, (row - p_top) * ROW
        body.extend(_box(COLUMN_X[1], y + (height - ROW) / 2, ROW, primary.text))
        p_mid = y + height / 2 - 4
        body.extend(
            _join(COLUMN_X[1] + BOX_WIDTH, p_mid, COLUMN_X[2], mid)
            for top, mid in primary_boxes
            if top == p_top
        )
        primary_boxes = [b for b in primary_boxes if b[0] != p_top] + [(-1, p_mid)]
    rows = max(row, 2)
    height = TOP + rows * ROW
    aim_y = TOP + (rows - 2) * ROW / 2
    body.extend(_box(COLUMN_X[0], aim_y, ROW * 2, aim))
    body.extend(
        _join(COLUMN_X[0] + BOX_WIDTH, aim_y + ROW - 4, COLUMN_X[1], mid)
        for top, mid in primary_boxes
        if top == -1
    )
    title = gettext("Driver diagram")
    return "\n".join(
        [
            f"<svg xmlns='http://www.w3.org/2000/svg' width='960' height='{height + 10}' "
            f"viewBox='0 0 960 {height + 10}' role='img'>",
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(describe(aim, diagram))}</desc>",
            "<rect width='100%' height='100%' fill='white'/>",
            *body,
            "</svg>",
        ]
    )
