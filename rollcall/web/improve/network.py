"""What a network sees of its members' improvement work: the projects they chose to share (text
copied and checked when shared) and the bright spots among their schools (rollcall.improve, from
each district's latest refresh), each linked to the change ideas its shared projects tested.

A bright spot names a school, the rule that found it and the week it started: no count of
students and no student crosses the district line. The counts a coach sees are the published
ones (``PublishedRow``, the disclosure rules of rollcall.publish).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rollcall.engine.micro import MICRO
from rollcall.improve import BrightSpot, find_bright_spots
from rollcall.levels import SCHOOL
from rollcall.measures import WeekRow
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.improve.aims import aim_text
from rollcall.web.improve.library import library
from rollcall.web.improve.models import Act, Cycle, Project, Share
from rollcall.web.people.models import District, Network
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
    """A bright spot of a member school, with the change ideas its shared projects tested."""

    district: District
    spot: BrightSpot
    ideas: tuple[str, ...]


def _week_rows(district: District) -> list[WeekRow]:
    snapshot = latest_snapshot(district.pk)
    if snapshot is None:
        return []
    stored = WeeklyMeasure.objects.filter(snapshot=snapshot, level=SCHOOL).order_by(
        "unit_id", "week_start"
    )
    return [
        WeekRow(SCHOOL, w.unit_id, w.week_start, w.week_end, w.student_days,
                int(w.days_absent * MICRO), w.eligible, w.chronically_absent)
        for w in stored
    ]  # fmt: skip


def bright_spots(network: Network) -> list[NetworkSpot]:
    """The member schools with a sustained improvement against the rest of their district
    (``rollcall.improve.find_bright_spots``), by district."""
    found = []
    shares = Share.objects.filter(network=network).select_related("project__school")
    for district in network.districts.order_by("name"):
        schools = {s.school_id: s for s in district.schools.all()}
        names = {(SCHOOL, sid): s.name for sid, s in schools.items()}
        spots, _assessed, _alone = find_bright_spots(
            _week_rows(district), districts={sid: district.district_id for sid in schools},
            names=names,
        )  # fmt: skip
        for spot in spots:
            ideas: dict[str, None] = {}
            for share in shares:
                school = share.project.school
                if school is not None and school.pk == schools[spot.unit_id].pk:
                    for cycle in share.summary.get("cycles", []):
                        ideas.setdefault(cycle["idea"], None)
            found.append(NetworkSpot(district, spot, tuple(ideas)))
    return found


def network_context(network: Network) -> dict[str, Any]:
    """The network page's improvement sections: shares (newest first) and bright spots."""
    shares = Share.objects.filter(network=network).select_related("project__district")
    decided = dict(Act.choices)
    shown = [
        (share, [c | {"decided": decided.get(c["act"], "")} for c in share.summary["cycles"]])
        for share in shares
    ]
    return {"shares": shown, "bright_spots": bright_spots(network), "library": library(network)}
