"""The demo's improvement project (``rollcall serve --demo``): the principal's school sets an aim,
draws a driver diagram, tests two change ideas in three PDSA cycles and counts its welcome calls
each week, so the project pages show something real; the district adds what the calls taught it
to its network's change-idea library."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rollcall.web.improve.diagram import parse
from rollcall.web.improve.library import MEMBER_EVIDENCE, cycle_summary, entry_cycle
from rollcall.web.improve.models import (
    ChangeIdea,
    Cycle,
    DiagramVersion,
    LibraryEntry,
    Measure,
    MeasureSource,
    Project,
    Share,
    WeeklyCount,
)
from rollcall.web.improve.network import share_summary, summary_texts
from rollcall.web.improve.privacy import students_named
from rollcall.web.improve.views import STARTING_MEASURES
from rollcall.web.people.models import School

FIRST_OUTLINE = """# Families know that every day counts
## Positive, personal messages home
- Welcome calls in the first two weeks
# Students feel they belong
## An adult who notices each absence
- Check-in, check-out mentoring
"""
OUTLINE = (
    FIRST_OUTLINE
    + """## Friends to come to school with
- Attendance buddies on the bus route
# Barriers are found and removed early
## A team that meets weekly on the list
- Weekly attendance team huddle on the flagged list
"""
)
CALLS = (6, 9, 14, 18, 21, 24, 26, 27, 29)  # welcome calls answered, of 30 families, each week
CYCLES = (
    ("Welcome calls in the first two weeks", date(2025, 9, 8), date(2025, 9, 12),
     "Will families of students absent twice in August pick up a call from the homeroom "
     "teacher?", "Half will answer; most of those will say why the student was out.",
     "The grade 6 homeroom teachers, the week of 8 September", "Calls made, answered, reasons",
     "Called 30 families; 11 answered. Evening calls were answered far more often.",
     "Fewer answered than predicted (37% against 50%); evenings 8 of 12.",
     "adapt", "Call in the evening, from 5 to 7 pm, and leave a message in the home language."),
    ("Welcome calls in the first two weeks", date(2025, 9, 22), date(2025, 10, 3),
     "Do evening calls in the home language reach more families?",
     "Two in three will answer.", "Two grade 6 homeroom teachers, two weeks",
     "Calls made and answered, by time of day", "Called 30 families; 21 answered.",
     "70% answered, above the prediction; three families asked for a meeting.",
     "adopt", "All grade 6 homerooms make the calls from the week of 13 October."),
    ("Check-in, check-out mentoring", date(2025, 10, 13), date(2025, 10, 24),
     "Does a daily check-in with a mentor keep five students coming?",
     "Four of five will miss no more than one day in two weeks.",
     "The sports coach, five grade 6 students, two weeks", "Days attended by the five",
     "", "", "", ""),
)  # fmt: skip


@transaction.atomic
def add_demo_project(school: School, user: AbstractBaseUser) -> Project:
    """The principal's project (made once: an existing one is returned as it is)."""
    found = Project.objects.filter(school=school).first()
    if found is not None:
        return found
    project = Project.objects.create(
        district=school.district, school=school, name="Every day counts in grade 6",
        for_whom="6th graders", baseline=24, target=18, by_when=date(2026, 6, 12),
        created_by=user,
    )  # fmt: skip
    for number, outline in enumerate((FIRST_OUTLINE, OUTLINE), start=1):
        DiagramVersion.objects.create(
            project=project, number=number, outline=outline, created_by=user
        )
    for name in parse(OUTLINE).change_ideas:
        ChangeIdea.objects.create(project=project, name=name)
    for kind, source in STARTING_MEASURES:
        name = str(dict(MeasureSource.choices)[source])
        Measure.objects.create(project=project, kind=kind, source=source, name=name)
    calls = Measure.objects.create(
        project=project, name="Welcome calls answered", kind="process", source="counted",
        definition="Families reached by a welcome call, of the 30 families of grade 6 students "
        "absent twice or more.",
    )  # fmt: skip
    monday = date(2025, 8, 25)
    for week, answered in enumerate(CALLS):
        WeeklyCount.objects.create(
            measure=calls, week_start=monday + timedelta(weeks=week), count=answered,
            denominator=30, created_by=user,
        )  # fmt: skip
    numbers: dict[str, int] = {}
    for idea_name, start, end, *text in CYCLES:
        idea = ChangeIdea.objects.get(project=project, name=idea_name)
        numbers[idea_name] = numbers.get(idea_name, 0) + 1
        question, prediction, who, data, happened, study, act, next_step = text
        Cycle.objects.create(
            change_idea=idea, number=numbers[idea_name], question=question,
            prediction=prediction, who_where_when=who, data_plan=data, start_date=start,
            end_date=end, what_happened=happened, study=study, act=act, next_step=next_step,
            created_by=user,
        )  # fmt: skip
    _share(project, user)
    return project


def _share(project: Project, user: AbstractBaseUser) -> None:
    """Share the project and its cycles with the district's networks, as a team would (unless
    a word of it is a synthetic student's name: then the demo shares nothing)."""
    cycles = list(Cycle.objects.filter(change_idea__project=project).select_related("change_idea"))
    summary = share_summary(project, cycles)
    if students_named(summary_texts(summary), project.district):
        return
    for network in project.district.networks.all():
        Share.objects.create(project=project, network=network, summary=summary, shared_by=user)


LIBRARY_IDEA = "Evening welcome calls in the home language"
LIBRARY_RESULTS = (
    "Grade 6 homeroom teachers called the families of students absent twice in the first weeks, "
    "in the evening and in the family's language: 21 of 30 families answered, against 11 of 30 "
    "by day, and three asked for a meeting. Every grade 6 homeroom now makes the calls."
)


@transaction.atomic
def add_demo_library_idea(project: Project, user: AbstractBaseUser) -> None:
    """What the district learned from the project's welcome calls, added to each of its networks'
    libraries with the two cycles that tested it, as district staff would (unless a word of it
    is a synthetic student's name: then the demo adds nothing)."""
    cycles = list(
        Cycle.objects.filter(change_idea__project=project, change_idea__name=CYCLES[0][0])
        .select_related("change_idea__project")
        .order_by("number")
    )
    copied = [entry_cycle(c) for c in cycles]
    texts = [LIBRARY_IDEA, LIBRARY_RESULTS, *(cycle_summary(c) for c in copied)]
    if students_named(texts, project.district):
        return
    for network in project.district.networks.all():
        LibraryEntry.objects.get_or_create(
            network=network, name=LIBRARY_IDEA, source=project.district.name,
            defaults={"tier": 2, "evidence": MEMBER_EVIDENCE, "district": project.district,
                      "results": LIBRARY_RESULTS, "cycles": copied, "added_by": user},
        )  # fmt: skip
