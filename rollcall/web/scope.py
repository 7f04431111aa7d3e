"""Who may see what: the one place that decides (docs/platform.md, "Roles").

Every view, export and API endpoint asks this module, and gets querysets or a 404: a record out
of a person's scope is "not found", never "forbidden" (which would confirm that it exists).

| role | schools (numbers, lists) | students | fields |
|---|---|---|---|
| teacher or advisor | none | their caseloads' | all |
| school team, principal | their school | at their school in the latest snapshot | all |
| district staff and administrator | their district's | their district's | all |
| community partner | none | their caseloads' | no suspensions, no disability |
| network coach | none (the network's published measures) | none | none |

Support plans (rollcall.web.plans) follow the student: whoever sees a student sees their plans
and may add a check-in; whoever sees the student through a staff role (not only as a community
partner) may start, and end, a plan. A partner does not see a plan's root-cause note. A network
coach never sees a plan.

The refreshes (snapshots) of a district are seen by everyone holding a role in it but the coach.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from rollcall.levels import SCHOOL
from rollcall.web.people.models import Caseload, District, Membership, Network, Role, School
from rollcall.web.plans.models import SupportPlan
from rollcall.web.snapshots.models import Snapshot, Student

User: TypeAlias = AbstractBaseUser | AnonymousUser

SCHOOL_ROLES = (Role.SCHOOL_TEAM, Role.PRINCIPAL)
DISTRICT_ROLES = (Role.DISTRICT, Role.DISTRICT_ADMIN)
CASELOAD_ROLES = (Role.TEACHER, Role.PARTNER)
# What a community partner's work does not need, and so never sees (issue 11: no discipline
# records, no disability, no plan's root-cause note: it can hold a family's circumstances).
PARTNER_HIDDEN = frozenset({"days_suspension", "disability", "section_504", "root_cause_note"})
# The roles that may start and end support plans (for the students they see).
PLAN_ROLES = (Role.TEACHER, *SCHOOL_ROLES, *DISTRICT_ROLES)


def memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, user__is_active=True)


def roles(user: User) -> set[str]:
    return set(memberships(user).values_list("role", flat=True))


def schools_for(user: User) -> QuerySet[School]:
    """The schools whose school-wide numbers and student lists ``user`` may see."""
    mine = memberships(user)
    return School.objects.filter(
        Q(pk__in=mine.filter(role__in=SCHOOL_ROLES).values("school"))
        | Q(district__in=mine.filter(role__in=DISTRICT_ROLES).values("district"))
    ).distinct()


def caseloads_for(user: User, *, staff_only: bool = False) -> QuerySet[Caseload]:
    """The caseloads ``user`` works with (teachers, advisors, partners; teachers only with
    ``staff_only``)."""
    mine = memberships(user).filter(role__in=(Role.TEACHER,) if staff_only else CASELOAD_ROLES)
    return Caseload.objects.filter(pk__in=mine.values("caseload"))


def networks_for(user: User) -> QuerySet[Network]:
    """The networks whose published measures ``user`` may see (coaches)."""
    return Network.objects.filter(
        pk__in=memberships(user).filter(role=Role.COACH).values("network")
    )


def districts_for(user: User) -> QuerySet[District]:
    """The districts whose refreshes (dates, policy, what was read) ``user`` may see: those they
    hold a role in, at the district, one of its schools or one of its caseloads. Not a coach's:
    a coach sees the network's published measures, each with its date, and nothing else."""
    mine = memberships(user)
    return District.objects.filter(
        Q(pk__in=mine.filter(role__in=DISTRICT_ROLES).values("district"))
        | Q(schools__in=mine.filter(role__in=SCHOOL_ROLES).values("school"))
        | Q(caseloads__in=caseloads_for(user))
    ).distinct()


def latest_snapshots() -> QuerySet[Snapshot]:
    """The newest snapshot of each district (one query, however many refreshes are kept)."""
    newest = Snapshot.objects.filter(district=OuterRef("district")).order_by(
        "-period_end", "-created_at", "-pk"
    )
    return Snapshot.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def students_for(user: User, *, staff_only: bool = False) -> QuerySet[Student]:
    """The students whose records ``user`` may see (with ``staff_only``: through a role other
    than community partner)."""
    mine = memberships(user)
    district_wide = Q(district__in=mine.filter(role__in=DISTRICT_ROLES).values("district"))
    caseload = Q(caseloads__in=caseloads_for(user, staff_only=staff_only))
    schools = School.objects.filter(pk__in=mine.filter(role__in=SCHOOL_ROLES).values("school"))
    at_school = Q(
        metrics__snapshot__in=latest_snapshots(),
        metrics__level=SCHOOL,
        metrics__school__in=schools,
    )
    return Student.objects.filter(district_wide | caseload | at_school).distinct()


def hidden_fields(user: User) -> frozenset[str]:
    """The fields of a student's record ``user`` may not see: a partner's are limited, unless
    another role of theirs gives the whole record."""
    mine = roles(user)
    if Role.PARTNER in mine and not mine & {*SCHOOL_ROLES, *DISTRICT_ROLES, Role.TEACHER}:
        return PARTNER_HIDDEN
    return frozenset()


def school_or_404(user: User, district_id: str, school_id: str) -> School:
    found = schools_for(user).filter(district__district_id=district_id, school_id=school_id)
    school = found.select_related("district").first()
    if school is None:
        raise Http404("no such school")
    return school


def student_or_404(user: User, district_id: str, student_id: str) -> Student:
    found = students_for(user).filter(district__district_id=district_id, student_id=student_id)
    student = found.select_related("district").first()
    if student is None:
        raise Http404("no such student")
    return student


def caseload_or_404(user: User, pk: int) -> Caseload:
    caseload = caseloads_for(user).filter(pk=pk).first()
    if caseload is None:
        raise Http404("no such caseload")
    return caseload


def network_or_404(user: User, pk: int) -> Network:
    network = networks_for(user).filter(pk=pk).first()
    if network is None:
        raise Http404("no such network")
    return network


def district_admin_of(user: User) -> QuerySet[District]:
    """The districts whose data ``user`` may refresh."""
    mine = memberships(user).filter(role=Role.DISTRICT_ADMIN)
    return District.objects.filter(pk__in=mine.values("district"))


def plans_for(user: User) -> QuerySet[SupportPlan]:
    """The support plans ``user`` may see and add check-ins to: those of the students they see."""
    return SupportPlan.objects.filter(student__in=students_for(user))


def plan_or_404(user: User, pk: int) -> SupportPlan:
    plan = plans_for(user).filter(pk=pk).select_related("student", "student__district").first()
    if plan is None:
        raise Http404("no such plan")
    return plan


def can_start_plan(user: User, student: Student) -> bool:
    """Whether ``user`` may start (or end) a plan for ``student``: they see the student through
    a staff role (teacher, school team, principal, district), not only as a partner."""
    return students_for(user, staff_only=True).filter(pk=student.pk).exists()


def plan_student_or_404(user: User, district_id: str, student_id: str) -> Student:
    """The student whose new plan ``user`` may start; out of scope (or a partner's) is a 404."""
    found = students_for(user, staff_only=True).filter(
        district__district_id=district_id, student_id=student_id
    )
    student = found.select_related("district").first()
    if student is None:
        raise Http404("no such student")
    return student


def plan_owners(student: Student) -> QuerySet[AbstractBaseUser]:
    """The people who may own a plan for ``student``: active accounts that may start one."""
    staff = Membership.objects.filter(role__in=PLAN_ROLES, user__is_active=True)
    schools = School.objects.filter(
        studentmetric__student=student,
        studentmetric__level=SCHOOL,
        studentmetric__snapshot__in=latest_snapshots(),
    )
    holding = staff.filter(
        Q(role__in=DISTRICT_ROLES, district=student.district_id)
        | Q(role__in=SCHOOL_ROLES, school__in=schools)
        | Q(role=Role.TEACHER, caseload__students=student)
    )
    users = get_user_model().objects.filter(pk__in=holding.values("user"))
    return users.order_by("username")
