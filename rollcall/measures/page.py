"""``index.html``: the page of ``rollcall measures``, for people who do not read control charts.

Every chart under its unit's name (never its id), one or more sentences saying in words what its
signals mean, and a table of the numbers behind it; the schools' funnel first, with the week it
shows. The page links the SVG files written beside it, so it works offline and loads nothing
from elsewhere. Records are computed here; the template only renders (docs/measures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from rollcall.spc import Chart, Funnel, Point

PAGE_FILE = "index.html"


@dataclass(frozen=True)
class WeekLine:
    """One row of a unit's table: the week and its numbers, as shown."""

    week: str
    student_days: str
    days_absent: str
    absence_share: str
    limits: str
    signal: str
    eligible: str
    chronic_rate: str


@dataclass(frozen=True)
class UnitSection:
    """One unit's chart, what its signals mean, and its numbers."""

    title: str
    chart_path: str
    svg: str  # the chart itself, inline (spc.inline_svg), so its text can stay readable
    meaning: tuple[str, ...]
    weeks: tuple[WeekLine, ...]


@dataclass(frozen=True)
class FunnelSection:
    """The schools' funnel: the week it shows (and whether that week is whole) and its reading."""

    chart_path: str
    svg: str
    week: str
    partial: bool
    meaning: tuple[str, ...]


@dataclass(frozen=True)
class MeasuresPage:
    school_year: str
    funnel: FunnelSection | None
    units: tuple[UnitSection, ...]


def percent(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value * 100:.{places}f}%"


def week_text(start: date, end: date) -> str:
    """``3–9 March 2025``, or across months ``28 April – 4 May 2025``."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def _direction(point: Point) -> str:
    assert point.value is not None and point.centre is not None
    return "higher" if point.value > point.centre else "lower"


def _runs(points: list[tuple[int, Point]], *, by_side: bool) -> list[list[tuple[int, Point]]]:
    """Points of one rule split into stretches of neighbouring weeks (a week without school
    between them does not split), and on the same side of the centre line when ``by_side``."""
    stretches: list[list[tuple[int, Point]]] = []
    for index, point in points:
        last = stretches[-1][-1] if stretches else None
        same = not by_side or (last and _direction(last[1]) == _direction(point))
        if last and index - last[0] <= 2 and same:
            stretches[-1].append((index, point))
        else:
            stretches.append([(index, point)])
    return stretches


def signal_meaning(chart: Chart, week_names: dict[str, str]) -> tuple[str, ...]:
    """What the chart's signals say, in words, one sentence per signal (or one when none).

    The rules are those of ``rollcall.spc.shewhart``: ``outside`` (beyond a limit), ``shift``
    (7 weeks or more on one side of the centre line), ``trend`` (7 or more going one way) and
    ``two_of_three`` (2 of 3 weeks beyond two sigma on one side)."""
    centre = percent(chart.centre)
    by_rule: dict[str, list[tuple[int, Point]]] = {}
    for index, point in enumerate(chart.points):
        for rule in point.signals:
            by_rule.setdefault(rule, []).append((index, point))
    if not by_rule:
        return (
            f"No week stands out: absence moved around its usual level ({centre} of "
            "student-days) by no more than it does from week to week by chance, so no week "
            "shows a change that needs explaining.",
        )
    said = []
    for rule in ("outside", "shift", "trend", "two_of_three"):
        for stretch in _runs(by_rule.get(rule, []), by_side=rule != "trend"):
            first, last = week_names[stretch[0][1].period], week_names[stretch[-1][1].period]
            side = _direction(stretch[-1][1])
            if rule == "outside":
                weeks = ", ".join(week_names[p.period] for _, p in stretch)
                said.append(
                    f"Week of {weeks}: absence was {side} than week-to-week chance explains "
                    "(beyond the limit): something happened that week worth asking about."
                )
            elif rule == "shift":
                said.append(
                    f"From the week of {first} to that of {last}: absence stayed {side} than its "
                    f"usual level ({centre}) seven weeks or more in a row: it has changed and "
                    "stayed changed, not one odd week."
                )
            elif rule == "trend":
                start_value, end_value = stretch[0][1].value, stretch[-1][1].value
                assert start_value is not None and end_value is not None
                went = "rose" if end_value > start_value else "fell"
                said.append(
                    f"From the week of {first} to that of {last}: absence {went} seven weeks or "
                    "more in a row, a steady drift rather than chance."
                )
            else:
                said.append(
                    f"Weeks of {first} to {last}: two of three weeks close to the limit, "
                    f"{side} than usual: an early sign of a change, worth watching."
                )
    return tuple(said)


def funnel_meaning(plot: Funnel, names: dict[str, str]) -> tuple[str, ...]:
    """What the funnel says, in words."""
    said = [
        f"Each dot is a school: its share of student-days absent that week against its size. "
        f"All schools together missed {percent(plot.centre)}; a smaller school moves more by "
        "chance, so its limits are wider."
    ]
    for side, word in (("above", "more"), ("below", "less")):
        found = [names.get(u.unit, u.unit) for u in plot.units if u.signal == side]
        if found:
            said.append(
                f"Outside the 99.8% limits, missing {word} than chance explains: "
                + ", ".join(found)
                + "."
            )
    if not any(u.signal in ("above", "below") for u in plot.units):
        said.append("No school lies outside the 99.8% limits: the differences look like chance.")
    return tuple(said)


def limits_text(point: Point) -> str:
    if point.lower is None or point.upper is None:
        return ""
    return f"{percent(point.lower)}–{percent(point.upper)}"


SIGNAL_WORDS = {
    "outside": "beyond a limit",
    "shift": "shift",
    "trend": "trend",
    "two_of_three": "2 of 3 near a limit",
}


def signal_words(point: Point) -> str:
    return ", ".join(SIGNAL_WORDS.get(s, s) for s in point.signals)


def render(page: MeasuresPage) -> str:
    environment = Environment(
        loader=PackageLoader("rollcall.measures", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("index.html.j2").render(page=page)


def write_page(page: MeasuresPage, out_dir: Path) -> Path:
    path = out_dir / PAGE_FILE
    path.write_text(render(page), encoding="utf-8")
    return path
