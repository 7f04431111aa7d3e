"""The small typed records the report page renders. Every number is computed before it gets
here; the template only places them. ``Ratio.exact`` is written as in the CSV tables (rounded
half up to six places), so the page can be checked against ``summary.csv`` and
``student_metrics.csv``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from rollcall.engine.micro import MICRO
from rollcall.levels import TOTAL
from rollcall.notes import Note


def exact_text(micro: int) -> str:
    """Millionths as a decimal with no trailing zeros, as ``rollcall.output.decimal_text``."""
    whole, fraction = divmod(micro, MICRO)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:06d}".rstrip("0")


@dataclass(frozen=True)
class Ratio:
    """``numerator ÷ denominator``: ``exact`` as in the CSV tables, ``text`` as a percentage."""

    exact: str
    text: str
    value: float

    @classmethod
    def of(cls, numerator: Fraction | int, denominator: int) -> Ratio | None:
        """None when there is nothing to divide by."""
        if denominator <= 0:
            return None
        share = Fraction(numerator) / denominator
        # Half up, as the engine's ratio_text: (2·n + d) // (2·d) in millionths.
        micro = (2 * share.numerator * MICRO + share.denominator) // (2 * share.denominator)
        tenths = (2 * share.numerator * 1000 + share.denominator) // (2 * share.denominator)
        return cls(exact_text(micro), f"{tenths // 10}.{tenths % 10}%", float(share))


@dataclass(frozen=True)
class Unit:
    """The school, district or total a report (or a row) is about."""

    level: str
    unit_id: str
    name: str

    @property
    def title(self) -> str:
        if self.level == TOTAL:
            return "All schools"
        return self.name if self.name == self.unit_id else f"{self.name} ({self.unit_id})"


@dataclass(frozen=True)
class HeadlineRecord:
    unit: Unit
    school_year: str
    policy: str
    policy_description: str
    minimum_days: int
    period_start: date
    period_end: date
    last_school_day: date | None
    students: int
    eligible: int
    chronic: int
    chronic_rate: Ratio | None
    severe: int
    severe_rate: Ratio | None
    days_enrolled: int
    days_absent: str
    ada: Ratio | None
    # The most days any student was enrolled at the unit: a full year at the unit's calendar.
    year_days: int = 0


@dataclass(frozen=True)
class TierRow:
    name: str
    label: str
    count: int
    share: Ratio | None
    rule: str
    days: str


@dataclass(frozen=True)
class MonthRow:
    month: str
    month_end: date
    eligible: int
    chronic: int
    rate: Ratio | None
    student_days: int
    days_absent: str
    absence_rate: Ratio | None
    last_rate: Ratio | None = None
    last_absence_rate: Ratio | None = None
    early: bool = False  # July to September: every student has few days, the rate swings


@dataclass(frozen=True)
class GradeRow:
    grade: str
    eligible: int
    chronic: int
    rate: Ratio | None
    severe: int
    ada: Ratio | None


@dataclass(frozen=True)
class SchoolRow:
    unit: Unit
    district_id: str
    eligible: int
    chronic: int
    rate: Ratio | None
    category: str
    concentrated: bool
    ada: Ratio | None


@dataclass(frozen=True)
class GroupRow:
    dimension: str
    group: str
    eligible: int
    chronic: int
    rate: Ratio | None
    too_small: bool
    gap_points: str
    gap_ratio: str
    share_of_chronic: Ratio | None
    share_of_eligible: Ratio | None


@dataclass(frozen=True)
class ReasonShare:
    dimension: str
    group: str
    days_absent: str
    excused: Ratio | None
    unexcused: Ratio | None
    suspension: Ratio | None


@dataclass(frozen=True)
class SupportStudent:
    student_id: str
    grade: str
    grade_rank: int
    days_enrolled: int
    days_absent: str
    rate: Ratio | None
    band: str
    band_label: str
    band_rank: int
    name: str = ""  # "Last, First" where students.csv has names (a staff page)
    # Days missed by kind, as in student_metrics.csv ("" when not known).
    days_excused: str = ""
    days_unexcused: str = ""
    days_suspension: str = ""
    change: Change | None = None  # against 30 days before the unit's last school day


@dataclass(frozen=True)
class Change:
    """A student's band and share of days missed 30 days earlier, against now."""

    counted: bool  # eligible then (else: not yet counted, or not enrolled)
    band_label: str  # the band then ("" when not counted)
    points: str  # the change in share of days missed, "+2.5 pts" ("" when not counted)
    value: float  # the change as a number, for sorting (new students sort first)
    worse: bool  # a higher band now than then (or newly counted in a band to support)


@dataclass(frozen=True)
class BandMove:
    """How many students are in a band now who were in a lower one (or not counted) before."""

    name: str
    label: str
    count: int


@dataclass(frozen=True)
class Furthest:
    """A grade or group whose rate is above the unit's, with the gap."""

    what: str  # "grade 7", "disability: Y"
    rate: Ratio
    gap_points: str
    eligible: int


@dataclass(frozen=True)
class RecentRecord:
    """ "Since last month": the moves into each band since ``since``, and where the rate is
    furthest above the unit's."""

    since: date | None
    moves: list[BandMove]
    improved: int  # students in a lower band now than then
    furthest: list[Furthest]


@dataclass(frozen=True)
class QualityFinding:
    """One thing in the data that could not be trusted: what, how many, the first examples."""

    topic: str
    what: str
    count: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """An inline SVG (already safe markup) with its text alternative."""

    key: str
    title: str
    svg: str
    alt: str
    left_out: str = ""  # why the chart was not drawn (then svg is empty)


@dataclass
class ReportPage:
    """Everything the template shows, in section order."""

    headline: HeadlineRecord
    staff_only: bool
    tiers: list[TierRow]
    months: list[MonthRow]
    has_last_year: bool
    last_year: str | None
    grades: list[GradeRow]
    schools: list[SchoolRow]
    groups: dict[str, list[GroupRow]]
    small_group: int
    reasons: list[ReasonShare]
    support: list[SupportStudent] | None
    support_total: int
    crossed: list[SupportStudent] | None
    crossed_since: date | None
    quality: list[QualityFinding]
    charts: dict[str, Chart] = field(default_factory=dict)
    # False for per-student totals: no dates, so no months, last year or recent crossings.
    day_level: bool = True
    # What the readers and the engine assumed or found, for "Before you read these numbers".
    notes: tuple[Note, ...] = ()
    recent: RecentRecord | None = None  # school and district pages
    has_names: bool = False  # the student list shows names (students.csv has them)
