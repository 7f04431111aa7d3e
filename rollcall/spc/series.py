"""Reading a series file (``SERIES.csv``) and an annotations file, with errors that name the cell.

A series file has a header and one row per period, in time order:

* ``period, value`` for run and XmR charts;
* ``period, numerator, denominator`` for p and p′ charts.

An empty cell (or ``NA``) is a gap: a week with no data, drawn as a break in the line, never as a
zero. Other columns are ignored. An annotations file has ``period, text`` and an optional ``kind``
(``note``, ``pdsa``, ``holiday`` or ``astronomical``).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rollcall.errors import InputError, OptionError
from rollcall.spc.records import ANNOTATION_KINDS, Annotation, Chart
from rollcall.spc.runs import run_chart
from rollcall.spc.shewhart import p_chart, p_prime_chart, xmr_chart
from rollcall.spc.svg import chart_svg
from rollcall.writing import CsvDictWriter

#: Cells read as a gap rather than a number.
MISSING = frozenset({"", "na", "n/a", "nan"})

COLUMNS = {
    "run": ("period", "value"),
    "xmr": ("period", "value"),
    "p": ("period", "numerator", "denominator"),
    "pprime": ("period", "numerator", "denominator"),
}


@dataclass(frozen=True)
class Series:
    """The periods of a series file and its values or counts, by chart kind (``None`` = gap)."""

    path: Path
    periods: tuple[str, ...]
    values: tuple[float | None, ...] = ()
    numerators: tuple[float | None, ...] = ()
    denominators: tuple[float | None, ...] = ()


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` pairs of a CSV file whose header has every ``required`` column."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror})", path=path) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in header]
        if missing:
            found = ", ".join(header) or "none"
            raise InputError(
                f"the header has no {', '.join(missing)} column (found: {found})",
                path=path,
                line=1,
                hint=f"the first line must name the columns {', '.join(required)}",
            )
        reader.fieldnames = header
        return [(reader.line_num, row) for row in reader]


def _number(text: str | None, *, path: Path, line: int, column: str) -> float | None:
    cell = (text or "").strip()
    if cell.lower() in MISSING:
        return None
    try:
        number = float(cell.replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InputError(
            f"{cell!r} is not a number",
            path=path,
            line=line,
            column=column,
            hint="write plain numbers like 0.12 or 1534; leave the cell empty for a missing period",
        )
    return number


def _period(row: dict[str, str], seen: set[str], *, path: Path, line: int) -> str:
    period = (row.get("period") or "").strip()
    if not period:
        raise InputError("the period is empty", path=path, line=line, column="period")
    if period in seen:
        raise InputError(
            f"period {period!r} appears twice", path=path, line=line, column="period",
            hint="give each period one row; add the counts together first if a period was split",
        )  # fmt: skip
    seen.add(period)
    return period


def _check_counts(x: float | None, n: float | None, *, path: Path, line: int) -> None:
    for value, column in ((x, "numerator"), (n, "denominator")):
        if value is not None and value < 0:
            raise InputError("counts cannot be negative", path=path, line=line, column=column)
    if x is not None and n is not None and x > n:
        raise InputError(
            f"numerator {x:g} is larger than denominator {n:g}",
            path=path,
            line=line,
            column="numerator",
            hint="the numerator counts part of the denominator (absent sessions of possible ones)",
        )


def read_series(path: Path | str, *, kind: str) -> Series:
    """The series in ``path`` for a chart of ``kind`` (``run``, ``xmr``, ``p`` or ``pprime``)."""
    path = Path(path)
    rows = _rows(path, COLUMNS[kind])
    if not rows:
        raise InputError("the file has a header but no periods", path=path)
    seen: set[str] = set()
    periods, values, numerators, denominators = [], [], [], []
    for line, row in rows:
        periods.append(_period(row, seen, path=path, line=line))
        if kind in ("run", "xmr"):
            values.append(_number(row.get("value"), path=path, line=line, column="value"))
            continue
        x = _number(row.get("numerator"), path=path, line=line, column="numerator")
        n = _number(row.get("denominator"), path=path, line=line, column="denominator")
        _check_counts(x, n, path=path, line=line)
        numerators.append(x)
        denominators.append(n)
    return Series(path, tuple(periods), tuple(values), tuple(numerators), tuple(denominators))


def read_annotations(
    path: Path | str, *, periods: Sequence[str] | None = None
) -> tuple[Annotation, ...]:
    """The annotations in ``path``: columns ``period, text`` and an optional ``kind``.

    With ``periods``, each annotation must name one of them (a typo would otherwise vanish).
    """
    path = Path(path)
    known = set(periods) if periods is not None else None
    notes = []
    for line, row in _rows(path, ("period", "text")):
        period = (row.get("period") or "").strip()
        if not period:
            raise InputError("the period is empty", path=path, line=line, column="period")
        if known is not None and period not in known:
            raise InputError(
                f"period {period!r} is not in the series",
                path=path,
                line=line,
                column="period",
                hint="write the period exactly as it appears in the series file",
            )
        kind = (row.get("kind") or "note").strip().lower() or "note"
        if kind not in ANNOTATION_KINDS:
            raise InputError(
                f"unknown kind {kind!r}",
                path=path,
                line=line,
                column="kind",
                hint=f"use one of {', '.join(ANNOTATION_KINDS)}",
            )
        notes.append(Annotation(period, (row.get("text") or "").strip(), kind))
    return tuple(notes)


# --- one chart from a series file, written as spc.csv, spc.json and spc.svg -------------------

OUTPUT_COLUMNS = ("period", "value", "centre", "lower_limit", "upper_limit", "signal")


@dataclass(frozen=True)
class SpcOutput:
    """What :func:`write_spc` drew and where it wrote it."""

    chart: Chart
    csv_path: Path
    json_path: Path
    svg_path: Path


def build_chart(
    series: Series,
    *,
    kind: str,
    rules: str | None = None,
    freeze: int | None = None,
    rebase: Sequence[str] = (),
    screen: bool = False,
    annotations: Sequence[Annotation] = (),
    title: str = "",
) -> Chart:
    """The chart of ``kind`` for ``series``; options that do not apply to ``kind`` are refused."""
    if rules is not None and kind != "run":
        raise OptionError(
            "--rules applies to run charts only", hint="drop --rules, or use --chart run"
        )
    if screen and kind not in ("xmr", "pprime"):
        raise OptionError("--screen applies to xmr and pprime charts only")
    periods, x, n, notes = series.periods, series.numerators, series.denominators, annotations
    if kind == "run":
        return run_chart(
            series.values, periods=periods, rules=rules or "ihi", freeze=freeze, rebase=rebase,
            annotations=notes, title=title,
        )  # fmt: skip
    if kind == "xmr":
        return xmr_chart(
            series.values, periods=periods, screen=screen, freeze=freeze, rebase=rebase,
            annotations=notes, title=title,
        )  # fmt: skip
    if kind == "p":
        return p_chart(
            x, n, periods=periods, freeze=freeze, rebase=rebase, annotations=notes, title=title
        )
    return p_prime_chart(
        x, n, periods=periods, screen=screen, freeze=freeze, rebase=rebase, annotations=notes,
        title=title,
    )  # fmt: skip


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def chart_rows(chart: Chart) -> list[dict[str, str]]:
    """The rows of ``spc.csv``: one per period; ``signal`` joins the rules that fired with ``;``."""
    return [
        {
            "period": p.period,
            "value": _cell(p.value),
            "centre": _cell(p.centre),
            "lower_limit": _cell(p.lower),
            "upper_limit": _cell(p.upper),
            "signal": ";".join(p.signals),
        }
        for p in chart.points
    ]


def chart_summary(chart: Chart) -> dict[str, Any]:
    """The content of ``spc.json``: chart kind, centre, phases and (run charts) runs analysis."""
    summary: dict[str, Any] = {
        "chart": chart.kind,
        "title": chart.title,
        "centre": chart.centre,
        "periods": len(chart.points),
        "gaps": [p.period for p in chart.points if p.value is None],
        "screened": chart.screened,
    }
    if chart.runs is not None:
        summary.update(asdict(chart.runs))
    summary["phases"] = [asdict(phase) for phase in chart.phases]
    summary["signals"] = {p.period: list(p.signals) for p in chart.points if p.signals}
    summary["annotations"] = [asdict(note) for note in chart.annotations]
    return summary


def write_spc(
    series_path: Path | str,
    out_dir: Path | str,
    *,
    kind: str,
    rules: str | None = None,
    freeze: int | None = None,
    rebase: Sequence[str] = (),
    screen: bool = False,
    annotations_path: Path | str | None = None,
    title: str = "",
) -> SpcOutput:
    """Read ``series_path``, draw the chart of ``kind`` and write spc.csv, spc.json and spc.svg."""
    if kind not in COLUMNS:
        raise OptionError(f"unknown chart {kind!r}; use one of {', '.join(COLUMNS)}")
    series = read_series(series_path, kind=kind)
    notes = read_annotations(annotations_path, periods=series.periods) if annotations_path else ()
    chart = build_chart(
        series, kind=kind, rules=rules, freeze=freeze, rebase=rebase, screen=screen,
        annotations=notes, title=title or f"{series.path.stem}",
    )  # fmt: skip
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(f"cannot create the output folder {out} ({exc.strerror})") from exc
    paths = out / "spc.csv", out / "spc.json", out / "spc.svg"
    with paths[0].open("w", newline="", encoding="utf-8") as handle:
        # The csv module's own line ends (\r\n), as spc.csv has always had.
        writer = CsvDictWriter(handle, fieldnames=OUTPUT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(chart_rows(chart))
    paths[1].write_text(json.dumps(chart_summary(chart), indent=2, ensure_ascii=False) + "\n")
    y_label = "share of the denominator" if kind in ("p", "pprime") else "value"
    paths[2].write_text(chart_svg(chart, y_label=y_label), encoding="utf-8")
    return SpcOutput(chart, *paths)
