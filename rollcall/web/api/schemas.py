"""What the API answers: one schema per kind of object. Every object naming a student carries
``student_id``."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000, description="How many objects at most (1 to 1,000).")
    offset: int = Field(0, ge=0, description="How many objects to skip.")


class SchoolOut(Schema):
    district_id: str
    district_name: str
    school_id: str
    name: str
    snapshot_id: int | None = Field(description="The district's latest refresh (null before one).")
    as_of: date | None
    eligible_students: int | None
    chronically_absent: int | None
    chronic_absence_rate: float | None = Field(description="A share, 0 to 1.")


class StudentOut(Schema):
    student_id: str
    district_id: str
    name: str
    as_of: date | None = Field(description="The district's latest refresh.")
    grade: str | None
    days_enrolled: int | None
    days_absent: float | None
    absence_rate: float | None = Field(description="A share of the enrolled days, 0 to 1.")
    band: str | None = Field(description="At the district level: satisfactory, at_risk, …")


class StudentPage(Schema):
    count: int = Field(description="How many students in all.")
    limit: int
    offset: int
    items: list[StudentOut]


class StudentMetricOut(Schema):
    student_id: str
    snapshot_id: int
    as_of: date
    level: str = Field(description="school or district")
    unit_id: str
    grade: str
    days_enrolled: int
    days_absent: float
    days_excused: float
    days_unexcused: float
    days_suspension: float | None = Field(
        None, description="Left out for those who may not see it (a community partner)."
    )
    absence_rate: float | None
    eligible: bool
    chronically_absent: bool | None
    band: str | None


class StudentRecordOut(Schema):
    student_id: str
    district_id: str
    name: str
    history: list[StudentMetricOut] = Field(
        description="Newest refresh first; at each school and the district."
    )


class SnapshotOut(Schema):
    id: int
    district_id: str
    school_year: str
    period_start: date
    period_end: date
    created_at: datetime
    policy: str
    counts: dict[str, dict[str, int]] = Field(
        description="For each file: rows read, accepted, ignored, rejected."
    )
    refused: int


class PublishedRowOut(Schema):
    district_id: str
    snapshot_id: int
    as_of: date
    level: str
    unit_id: str
    unit_name: str
    dimension: str
    group: str
    eligible_students: int | None = Field(description="Null where the disclosure rules hide it.")
    chronically_absent: int | None
    chronic_absence_rate: str
    note: str


class Problem(Schema):
    detail: str


class ProjectOut(Schema):
    id: int
    district_id: str
    school_id: str | None = Field(description="Null for a district team's project.")
    name: str
    aim: str = Field(description="The aim in one sentence.")
    for_whom: str
    baseline: float = Field(description="Chronic absence at the start, in percent.")
    target: float = Field(description="Chronic absence to reach, in percent.")
    by_when: date
    diagram_version: int | None = Field(description="The driver diagram's latest version.")


class CycleOut(Schema):
    id: int
    number: int = Field(description="Its place in the change idea's ramp, from 1.")
    question: str
    prediction: str
    who_where_when: str
    data_plan: str
    start_date: date
    end_date: date
    what_happened: str
    study: str
    act: str = Field(description="adopt, adapt, abandon, or empty before the team decides.")
    next_step: str


class ChangeIdeaOut(Schema):
    id: int
    name: str
    cycles: list[CycleOut]


class MeasureWeekOut(Schema):
    week_start: date
    week_end: date
    value: float = Field(description="A share (0 to 1) when there is a denominator, else a count.")
    numerator: float | None
    denominator: float | None


class MeasureOut(Schema):
    id: int
    name: str
    kind: str = Field(description="outcome, process or balancing")
    source: str = Field(description="chronic, absence, plans (from the refreshes) or counted")
    chart: str | None = Field(description="run, xmr, p or pprime; null below two weeks.")
    signals: list[str] = Field(description="What the chart's signals say, in words.")
    weeks: list[MeasureWeekOut]


class ProjectDetailOut(ProjectOut):
    diagram: str | None = Field(description="The latest driver diagram, as its outline.")
    change_ideas: list[ChangeIdeaOut]
    measures: list[MeasureOut]
