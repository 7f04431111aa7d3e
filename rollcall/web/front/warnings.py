"""The early warning as the pages show it: each student's risk at their school in a snapshot,
flagged when within the school's caseload (``School.warning_caseload``, read now, so a school
that changes its caseload sees the change at once), with the support tier rollcall.warn
suggests. The ranks, scores and reasons are the stored ones (rollcall.web.refresh); nothing is
rescored here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from rollcall.errors import OptionError
from rollcall.warn.ranking import Caseload, parse_caseload, suggested_tier
from rollcall.web.people.models import School
from rollcall.web.snapshots.models import Snapshot, WarningFlag

SUPPORT_WORDS = {
    "intensive": gettext_lazy("intensive support"),
    "targeted": gettext_lazy("early, personal outreach"),
    "universal": gettext_lazy("universal support"),
}
DEFAULT_CASELOAD = "20%"


@dataclass(frozen=True)
class Risk:
    school: School
    rank: int  # 1: most at risk at the school
    scored: int  # students scored at the school
    score: float | None  # the probability of ending the year chronically absent (a model's)
    flagged: bool  # within the school's caseload
    tier: str  # the support suggested: intensive, targeted or universal
    reasons: str

    @property
    def support(self) -> str:
        return str(SUPPORT_WORDS[self.tier])


def caseload_of(school: School) -> Caseload:
    """The school's caseload; a value that no longer parses counts as the default."""
    try:
        return parse_caseload(school.warning_caseload or DEFAULT_CASELOAD)
    except OptionError:
        return parse_caseload(DEFAULT_CASELOAD)


def _sizes(snapshot: Snapshot | int, schools: Iterable[int]) -> dict[int, tuple[School, int, int]]:
    """For each of ``schools`` (pks): the school, the students scored there in ``snapshot``, and
    how many of them its caseload flags (each school's caseload read once, not once a student).
    Two queries."""
    counted = (
        WarningFlag.objects.filter(snapshot=snapshot, school__in=set(schools))
        .values("school")
        .annotate(n=Count("pk"))
    )
    scored = {row["school"]: row["n"] for row in counted}
    found = School.objects.filter(pk__in=scored)
    return {s.pk: (s, scored[s.pk], caseload_of(s).size(scored[s.pk])) for s in found}


def _risk(flag: WarningFlag, school: School, scored: int, size: int) -> Risk:
    flagged = flag.rank <= size
    return Risk(
        school=school,
        rank=flag.rank,
        scored=scored,
        score=flag.score,
        flagged=flagged,
        tier=suggested_tier(flagged, flag.intensive),
        reasons=flag.reasons,
    )


def risks(
    snapshot: Snapshot | int, students: QuerySet[Any] | list[int], school: School | None = None
) -> dict[int, Risk]:
    """Each student's (by pk: a list, or a query giving them) risk in ``snapshot`` (or its pk):
    at ``school``, or where it is highest."""
    flags = WarningFlag.objects.filter(snapshot=snapshot, student__in=students)
    if school is not None:
        flags = flags.filter(school=school)
    found_flags = list(flags)
    sizes = _sizes(snapshot, {f.school_id for f in found_flags})
    found: dict[int, Risk] = {}
    for flag in found_flags:
        risk = _risk(flag, *sizes[flag.school_id])
        kept = found.get(flag.student_id)
        if kept is None or _higher(risk, kept):
            found[flag.student_id] = risk
    return found


def _higher(risk: Risk, other: Risk) -> bool:
    """Flagged before not, then nearer the top of its school."""
    return (risk.flagged, -risk.rank / risk.scored) > (other.flagged, -other.rank / other.scored)


def student_risks(snapshot: Snapshot, student: int) -> list[Risk]:
    """A student's risk at each school of ``snapshot`` that scored them."""
    flags = list(WarningFlag.objects.filter(snapshot=snapshot, student=student))
    sizes = _sizes(snapshot, {f.school_id for f in flags})
    return [_risk(f, *sizes[f.school_id]) for f in flags]


def flagged_at(snapshot: Snapshot, school: School) -> list[int]:
    """The students (pks) flagged at ``school`` in ``snapshot``, most at risk first."""
    flags = WarningFlag.objects.filter(snapshot=snapshot, school=school).order_by("rank")
    size = caseload_of(school).size(flags.count())
    return list(flags.filter(rank__lte=size).values_list("student_id", flat=True))
