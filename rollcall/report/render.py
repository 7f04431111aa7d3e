"""The report page: its records assembled for one unit (build.py, timeline.py, quality.py), its
charts (charts.py), and the one Jinja2 template that places them, with autoescaping."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from rollcall.engine.results import Computed
from rollcall.labels import days_text, dimension_label, group_label
from rollcall.levels import SCHOOL, TOTAL
from rollcall.notes import cautions_first
from rollcall.report import build, charts, quality, timeline
from rollcall.report import support as acting
from rollcall.report.records import Chart, ReportPage, Unit
from rollcall.report.timeline import LastYear

REPORT_FILE = "report.html"


def build_page(
    computed: Computed,
    unit: Unit,
    *,
    last_year: LastYear | Callable[[], LastYear | None] | None = None,
    reject_rows: list[dict[str, str]] | None = None,
) -> ReportPage:
    """Every record of the page for ``unit``; the student lists only for a school or district.

    ``last_year`` may be a function that gives it (a run still going on elsewhere): it is
    called last, once this year's records are done."""
    headline, tier_counts = build.headline(computed, unit)
    staff = unit.level != TOTAL
    grades, groups = build.grades(computed, unit), build.groups(computed, unit)
    page = ReportPage(
        headline=headline,
        staff_only=staff,
        tiers=build.tiers(tier_counts, headline.eligible, headline.year_days),
        months=[],
        has_last_year=False,
        last_year=None,
        grades=grades,
        schools=build.schools(computed, unit),
        groups=groups,
        small_group=build.SMALL_GROUP,
        reasons=build.reasons(computed, unit),
        support=None,
        support_total=0,
        crossed=None,
        crossed_since=None,
        quality=quality.findings(computed, reject_rows),
        day_level=computed.day_level,
        notes=cautions_first(computed.notes),
    )
    if staff:
        _students(page, computed, unit)
    # The charts of what is known are drawn while the months are counted.
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawing = pool.submit(_charts, page)
        this_year = timeline.months_of(computed, unit)
        last = last_year() if callable(last_year) else last_year
        page.months = timeline.combine(this_year, last.months if last else {})
        page.has_last_year = last is not None
        page.last_year = last.school_year if last is not None else None
        page.charts = drawing.result()
    if page.months:
        page.charts |= {chart.key: chart for chart in charts.month_charts(page.months)}
    return page


def _students(page: ReportPage, computed: Computed, unit: Unit) -> None:
    """The list to act on (capped for the page), "since last month", and the students newly
    chronically absent, for a school or district page."""
    headline = page.headline
    since = timeline.crossed_since(headline.last_school_day, computed)
    page.support, page.support_total, page.has_names = acting.support_list(computed, unit, since)
    overall = Fraction(headline.chronic, headline.eligible) if headline.eligible else None
    page.recent = acting.recent(computed, unit, since, page.grades, page.groups, overall)
    if since is not None:
        page.crossed = build.support_students(timeline.crossed(computed, unit, since))
        page.crossed_since = since


def _charts(page: ReportPage) -> dict[str, Chart]:
    """The charts of everything but the months."""
    made = [charts.tiers_chart(page.tiers)]
    if page.grades:
        made.append(charts.grades_chart(page.grades))
    if any(s.unit.level == SCHOOL and s.rate is not None for s in page.schools):
        made.append(charts.schools_chart(page.schools))
    overall = page.headline.chronic_rate.value if page.headline.chronic_rate else None
    for dimension, rows in page.groups.items():
        if any(g.rate is not None for g in rows):
            made.append(charts.group_chart(dimension, rows, overall))
    if page.reasons:
        made.append(charts.reasons_chart(page.reasons))
    return {chart.key: chart for chart in made}


def templates() -> Environment:
    """The report pages' templates (report.html.j2, aggregate.html.j2 and their shared CSS)."""
    return Environment(
        loader=PackageLoader("rollcall.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(page: ReportPage) -> str:
    environment = templates()
    environment.filters["days"] = days_text
    environment.filters["dimension"] = dimension_label
    environment.filters["group_label"] = group_label
    return environment.get_template("report.html.j2").render(page=page)


def write_report(
    computed: Computed,
    out_dir: Path,
    unit: Unit,
    *,
    last_year: LastYear | Callable[[], LastYear | None] | None = None,
    reject_rows: list[dict[str, str]] | None = None,
) -> Path:
    """Write ``report.html`` for ``unit`` into ``out_dir``."""
    page = build_page(computed, unit, last_year=last_year, reject_rows=reject_rows)
    path = Path(out_dir) / REPORT_FILE
    path.write_text(render_page(page), encoding="utf-8")
    return path
