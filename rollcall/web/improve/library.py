"""A network's change-idea library: practices from two public sources, each with its tier and the
strength of evidence behind it, then the change ideas the network's members tested and shared,
with what their PDSA cycles decided, then the ideas added to the library itself: by a member
district with what its cycles found, or imported from another network's export
(``rollcall.web.improve.package``).

The seed is written here in our own words, by short name only (no text is copied from the
sources):

* Attendance Works' tiered approach to attendance (attendanceworks.org, "Tiered approach"): Tier 1
  universal practices for every student, Tier 2 early personalised outreach, Tier 3 intensive
  support with other agencies;
* FutureEd and Attendance Works, *Attendance Playbook: Smart Strategies for Reducing Student
  Absenteeism* (2023 edition), which sorts its strategies by the evidence tiers of the Every
  Student Succeeds Act (strong, moderate, promising) and names emerging ones.

``evidence`` is how we read the source's rating (``strong``, ``moderate``, ``promising``,
``emerging``; ``practice`` for Attendance Works' practices, which the tiered approach recommends
without rating one by one): check the source's current edition before citing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rollcall.web.improve.models import Cycle, LibraryEntry, Share
from rollcall.web.people.models import Network

AW = "Attendance Works, tiered approach"
PLAYBOOK = "FutureEd and Attendance Works, Attendance Playbook (2023)"


@dataclass(frozen=True)
class LibraryIdea:
    name: str
    tier: int | None  # 1 to 3; none for a member's idea shared without one
    evidence: str
    source: str
    tested: str = ""  # for a member's idea: what was tested and what its cycles found
    imported_from: str = ""  # the file an imported idea came from


SEED = (
    LibraryIdea("Recognise good and improved attendance", 1, "practice", AW),
    LibraryIdea("Engage students and parents in why attendance matters", 1, "practice", AW),
    LibraryIdea("Set clear attendance expectations with families", 1, "practice", AW),
    LibraryIdea("Monitor attendance data and practice every week", 1, "practice", AW),
    LibraryIdea("Build a positive, engaging school climate", 1, "practice", AW),
    LibraryIdea("Remove barriers to getting to school", 1, "practice", AW),
    LibraryIdea("Personalised early outreach to the family", 2, "practice", AW),
    LibraryIdea("Student action plan with the family", 2, "practice", AW),
    LibraryIdea("Attendance mentor (check-in, check-out)", 2, "practice", AW),
    LibraryIdea("Intensive case management with public agencies", 3, "practice", AW),
    LibraryIdea("Mailings to parents correcting misbeliefs about absences", 1, "strong", PLAYBOOK),
    LibraryIdea("Personalised text messages to families", 1, "moderate", PLAYBOOK),
    LibraryIdea("Check & Connect mentoring", 2, "moderate", PLAYBOOK),
    LibraryIdea("Success mentors for chronically absent students", 2, "promising", PLAYBOOK),
    LibraryIdea("Home visits by teachers", 2, "promising", PLAYBOOK),
    LibraryIdea("School-based health services and telehealth", 1, "promising", PLAYBOOK),
    LibraryIdea("Breakfast after the bell", 1, "promising", PLAYBOOK),
    LibraryIdea("Walking school bus and transport help", 1, "promising", PLAYBOOK),
    LibraryIdea("Positive behaviour interventions and supports (PBIS)", 1, "moderate", PLAYBOOK),
    LibraryIdea("Laundry at school", 1, "emerging", PLAYBOOK),
)

# The columns of the library's exports (CSV and JSON), and of a change package it imports.
LIBRARY_COLUMNS = ("name", "tier", "evidence", "source", "tested", "imported_from")
MEMBER_EVIDENCE = "tested by a member"


def member_ideas(network: Network) -> list[LibraryIdea]:
    """The change ideas of the projects shared with ``network``: each once per district, with
    the decisions of its shared cycles (``adopt`` …) in order."""
    found: dict[tuple[str, str], list[str]] = {}
    shares = Share.objects.filter(network=network).select_related("project__district")
    for share in shares.order_by("project__district__name", "pk"):
        district = share.project.district.name
        for cycle in share.summary.get("cycles", []):
            decisions = found.setdefault((cycle["idea"], district), [])
            decisions.append(f"PDSA {cycle['number']}: {cycle['act'] or 'not decided'}")
    return [
        LibraryIdea(name, None, MEMBER_EVIDENCE, district, "; ".join(acts))
        for (name, district), acts in found.items()
    ]


def cycle_summary(cycle: dict[str, Any]) -> str:
    """One cycle a library entry names (``entry_cycle``), in a line."""
    decided = cycle["act"] or "not decided"
    return (
        f"PDSA {cycle['number']} of “{cycle['idea']}” ({cycle['project']}), "
        f"{cycle['start']} to {cycle['end']}: {decided}"
    )


def entry_cycle(cycle: Cycle) -> dict[str, Any]:
    """What a library entry copies of a cycle that tested it: where, when, what was decided."""
    return {
        "project": cycle.change_idea.project.name,
        "idea": cycle.change_idea.name,
        "number": cycle.number,
        "start": cycle.start_date.isoformat(),
        "end": cycle.end_date.isoformat(),
        "act": cycle.act,
    }


def entry_idea(entry: LibraryEntry) -> LibraryIdea:
    """A library entry as the library shows and exports it: what was found, then its cycles."""
    tested = " ".join([entry.results, *(cycle_summary(c) + "." for c in entry.cycles)])
    return LibraryIdea(
        entry.name, entry.tier, entry.evidence, entry.source, tested.strip(), entry.imported_from
    )


def added_ideas(network: Network) -> list[LibraryIdea]:
    """The ideas added to ``network``'s library (by members, or imported), oldest first."""
    return [entry_idea(e) for e in LibraryEntry.objects.filter(network=network)]


def library(network: Network) -> list[LibraryIdea]:
    """The seed, then the members' shared ideas, then the ideas added to the library."""
    return [*SEED, *member_ideas(network), *added_ideas(network)]


def idea_key(name: str, source: str) -> tuple[str, str]:
    """What makes two ideas of a library the same: the name and the source, compared without
    case and with runs of spaces as one."""
    return (" ".join(name.split()).casefold(), " ".join(source.split()).casefold())
