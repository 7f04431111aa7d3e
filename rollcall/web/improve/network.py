"""What a network sees of its members' improvement work: the projects they chose to share (text
copied and checked when shared) and the bright spots among their schools and districts
(rollcall.improve, from each district's latest refresh), each linked to the change ideas its
shared projects tested.

A school is compared with the rest of its own district; a member district with the network's
other members in the same weeks, from the district-level weekly measures of each one's latest
refresh (aggregates: student-days and days absent per week; no student crosses the district
line). A bright spot names a school or district, the rule that found it and the week it started,
never a count. The counts a coach sees are the published ones (``PublishedRow``, the disclosure
rules of rollcall.publish).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rollcall.engine.micro import MICRO
from rollcall.improve import BrightSpot, find_bright_spots
from rollcall.levels import DISTRICT, SCHOOL
from rollcall.measures import WeekRow
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.improve.aims import aim_text
from rollcall.web.improve.library import library
from rollcall.web.improve.models import Act, Cycle, Project, Share
from rollcall.web.people.models import District, Network, School
from rollcall.web.snapshots.models import WeeklyMeasure

CYCLE_FIELDS = ("question", "prediction", "study", "act", "next_step")


def share_summary(project: Project, cycles: Sequence[Cycle]) -> dict[str, Any]:
    """The text a share copies: the project's name, aim and latest driver diagram, and each
    chosen cycle's plan question, prediction, study, decision and next step, with its dates."""
    latest = project.diagrams.first()
    return {
        "name": project.name,
        "unit": project.unit_name,
        "aim": aim_text(project),
        "diagram": latest.outline if latest else "",
        "cycles": [
            {
                "idea": c.change_idea.name,
                "number": c.number,
                "start": c.start_date.isoformat(),
                "end": c.end_date.isoformat(),
                **{name: getattr(c, name) for name in CYCLE_FIELDS},
            }
            for c in cycles
        ],
    }


def summary_texts(summary: dict[str, Any]) -> list[str]:
    """Every piece of free text in a share's summary: what the privacy check reads."""
    texts = [summary["name"], summary["aim"], summary["diagram"]]
    for cycle in summary["cycles"]:
        texts.append(cycle["idea"])
        texts.extend(cycle[name] for name in CYCLE_FIELDS)
    return texts


@dataclass(frozen=True)
class NetworkSpot:
    """A bright spot of a member school or district (``spot.level``), with the change ideas its
    shared projects tested."""

    district: District
    spot: BrightSpot
    ideas: tuple[str, ...]


def _week_rows(district: District, level: str = SCHOOL) -> list[WeekRow]:
    """The weekly measures at ``level`` of the district's latest refresh."""
    snapshot = latest_snapshot(district.pk)
    if snapshot is None:
        return []
    stored = WeeklyMeasure.objects.filter(snapshot=snapshot, level=level).order_by(
        "unit_id", "week_start"
    )
    return [
        WeekRow(level, w.unit_id, w.week_start, w.week_end, w.student_days,
                int(w.days_absent * MICRO), w.eligible, w.chronically_absent)
        for w in stored
    ]  # fmt: skip


def _ideas(shares: Sequence[Share], district: District, school: School | None) -> tuple[str, ...]:
    """The change ideas of the cycles shared by projects of ``school`` (or, with None, of the
    whole ``district``), each once, in the order shared."""
    ideas: dict[str, None] = {}
    school_pk = school.pk if school else None
    for share in shares:
        project = share.project
        if project.district_id == district.pk and project.school_id == school_pk:
            for cycle in share.summary.get("cycles", []):
                ideas.setdefault(cycle["idea"], None)
    return tuple(ideas)


def _school_spots(district: District, shares: Sequence[Share]) -> list[NetworkSpot]:
    """The district's schools with a sustained improvement against the rest of the district."""
    schools = {s.school_id: s for s in district.schools.all()}
    names = {(SCHOOL, sid): s.name for sid, s in schools.items()}
    spots, _assessed, _alone = find_bright_spots(
        _week_rows(district), districts={sid: district.district_id for sid in schools},
        names=names,
    )  # fmt: skip
    return [NetworkSpot(district, s, _ideas(shares, district, schools[s.unit_id])) for s in spots]


def _district_spots(members: Sequence[District], shares: Sequence[Share]) -> list[NetworkSpot]:
    """The member districts with a sustained improvement against the network's other members in
    the same weeks (the district-level weeks of each one's latest refresh)."""
    rows = [row for district in members for row in _week_rows(district, DISTRICT)]
    by_id = {d.district_id: d for d in members}
    names = {(DISTRICT, d.district_id): d.name for d in members}
    spots, _assessed, _alone = find_bright_spots(rows, districts={}, names=names)
    return [NetworkSpot(by_id[s.unit_id], s, _ideas(shares, by_id[s.unit_id], None)) for s in spots]


def bright_spots(network: Network) -> list[NetworkSpot]:
    """The member schools with a sustained improvement against the rest of their district, by
    district, then the member districts with one against the network's other members
    (``rollcall.improve.find_bright_spots``)."""
    shares = list(Share.objects.filter(network=network).select_related("project"))
    members = list(network.districts.order_by("name"))
    found = [spot for district in members for spot in _school_spots(district, shares)]
    return found + _district_spots(members, shares)


def districts_compared(network: Network) -> int:
    """How many member districts have district-level weekly measures in their latest refresh:
    the districts compared with each other (fewer than two, and none has a peer)."""
    return sum(
        WeeklyMeasure.objects.filter(snapshot=snapshot, level=DISTRICT).exists()
        for district in network.districts.all()
        if (snapshot := latest_snapshot(district.pk)) is not None
    )


def network_context(network: Network) -> dict[str, Any]:
    """The network page's improvement sections: shares (newest first) and bright spots."""
    shares = Share.objects.filter(network=network).select_related("project__district")
    decided = dict(Act.choices)
    shown = [
        (share, [c | {"decided": decided.get(c["act"], "")} for c in share.summary["cycles"]])
        for share in shares
    ]
    return {
        "shares": shown,
        "bright_spots": bright_spots(network),
        "districts_compared": districts_compared(network),
        "library": library(network),
    }
