"""Who may see what: the one place that decides (docs/platform.md, "Roles").

Every view, export and API endpoint asks this module, and gets querysets or a 404: a record out
of a person's scope is "not found", never "forbidden" (which would confirm that it exists).
"Forbidden" (403) is only for a record the person sees but may not act on in the way asked (a
member district's staff importing into their network's library).

| role | schools (numbers, lists) | students | fields |
|---|---|---|---|
| teacher or advisor | none | their caseloads' | all |
| school team, principal | their school | at their school in the latest snapshot | all |
| district staff and administrator | their district's | their district's | all |
| community partner | none | their caseloads' | no suspensions, no disability |
| network coach | none (the network's published measures) | none | none |

Networks (``networks_for``): a network's page and its change-idea library are seen by its coaches
and by the district staff and administrators of its member districts; not by teachers, school
teams, principals or partners, nor by anyone of a district outside the network (404). All of
them see only what may cross a district line: each member's measures as they may be published
(rollcall.publish), the projects and cycles members chose to share (text checked for students'
names and ids), the bright spots, the library; never a student, never another district's
unpublished numbers. Each of them may add a change idea to the library (for a member district:
``library_districts``); importing another network's change package is the coaches' alone
(``coached_network_or_403``: a member district's staff, who see the page, get 403).

Improvement projects (rollcall.web.improve) are the team's: a school's project is seen and changed
by that school's team and principal and by its district's staff and administrators; a district's
project by the district's staff and administrators. Nobody else sees one (not a teacher, a partner
or a coach: a network's coaches and member districts see what members share with it).

Support plans (rollcall.web.plans) follow the student: whoever sees a student sees their plans
and may add a check-in; whoever sees the student through a staff role (not only as a community
partner) may start, and end, a plan. A partner does not see a plan's root-cause note. A network
coach never sees a plan.

A student's contacts (rollcall.web.families) follow the student too: whoever sees the student sees
and may add or change them, partners included.

Family outreach (rollcall.web.outreach) is a school's: its rounds are planned, previewed,
approved, sent and evaluated by whoever sees the school's numbers and lists (school team,
principal; district staff and administrators for the district's schools): ``schools_for``. Not
teachers, partners or coaches: a round names every family of the school it writes to. A
student's outreach record (a letter sent, or in the comparison group) follows the student, as
the contacts do: whoever sees the student sees it, partners included (they work with the
family, and should know what the school has told it).

The refreshes (snapshots) of a district are seen by everyone holding a role in it but the coach.

Refreshing a district's data (from the browser, rollcall.web.intake) is for its district
administrators only, not district staff: a refresh replaces what every school of the district
sees, and the issue gives "data in" to the administrator. Its job pages (progress, what was read
and refused) are seen by the district's administrators; to anyone else a job is "not found".

A network's partner organisations and events (rollcall.web.partners) are read by whoever sees
the network's page (``network_or_404``) and kept (added, changed, removed) by its coaches only
(``coaches_network``): a reader who may not keep them is refused (403) when they try, since the
page they tried to change is one they see anyway.

The admin pages (/admin/, rollcall.web.people.adminscope) are the superuser's in full (networks,
coaches, districts' administrators) and, for a district administrator (staff, with the role),
their districts' only: the ``admin_*`` functions below. An account belongs to a district when
every role it holds is there (``district_people``); one holding a role elsewhere too (another
district, a network), or none, belongs to no district administrator: only the superuser may
change it, so that no district's administrator can take over another's account.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from rollcall.levels import SCHOOL
from rollcall.web.audit.models import AuditEvent
from rollcall.web.families.models import Contact
from rollcall.web.front.auth import FAILED as FAILED_SIGN_IN
from rollcall.web.improve.models import ChangeIdea, Cycle, Measure, Project
from rollcall.web.intake.models import RefreshJob
from rollcall.web.outreach.models import Round
from rollcall.web.people.models import (
    ApiToken,
    Caseload,
    District,
    Membership,
    Network,
    Role,
    School,
)
from rollcall.web.plans.models import Strategy, SupportPlan
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
# The roles a district administrator may give in the admin pages: not another administrator's
# (the superuser makes those, with the staff flag) nor a network's coach.
ADMIN_GIVES = tuple(Role(r) for r in Role.values if r not in (Role.DISTRICT_ADMIN, Role.COACH))


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
    """The networks whose pages ``user`` may see (this module's docstring, "Networks"): those
    they coach, and those their district belongs to where they hold a district-level role
    (district staff and administrators). What they see there is what may cross a district line:
    the members' published measures, what members chose to share, the bright spots and the
    change-idea library; never a student."""
    mine = memberships(user)
    return Network.objects.filter(
        Q(pk__in=mine.filter(role=Role.COACH).values("network"))
        | Q(districts__in=mine.filter(role__in=DISTRICT_ROLES).values("district"))
    ).distinct()


def coaches_network(user: User, network: Network) -> bool:
    """Whether ``user`` is a coach of ``network``: who imports change packages into its library
    and keeps its partners and events."""
    return memberships(user).filter(role=Role.COACH, network=network).exists()


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


def coached_network_or_403(user: User, pk: int) -> Network:
    """A network ``user`` coaches, for what only its coaches do (importing a change package): a
    network they may not see is "not found"; one they see as a member district's staff is
    forbidden (it exists for them: they see its page)."""
    network = network_or_404(user, pk)
    if not coaches_network(user, network):
        raise PermissionDenied("only the network's coaches may do this")
    return network


def library_districts(user: User, network: Network) -> QuerySet[District]:
    """The member districts of ``network`` on whose behalf ``user`` may add a change idea to its
    library: every member district for its coach; for district staff and administrators, their
    own districts that are members."""
    members = network.districts.all()
    if coaches_network(user, network):
        return members
    return members.filter(pk__in=districts_overseen(user).values("pk"))


def projects_for(user: User) -> QuerySet[Project]:
    """The improvement projects ``user`` may see and change (this module's docstring)."""
    mine = memberships(user)
    return Project.objects.filter(
        Q(school__in=mine.filter(role__in=SCHOOL_ROLES).values("school"))
        | Q(district__in=mine.filter(role__in=DISTRICT_ROLES).values("district"))
    )


def project_or_404(user: User, pk: int) -> Project:
    found = projects_for(user).filter(pk=pk).select_related("district", "school").first()
    if found is None:
        raise Http404("no such project")
    return found


def change_idea_or_404(user: User, pk: int) -> ChangeIdea:
    found = ChangeIdea.objects.filter(pk=pk, project__in=projects_for(user))
    idea = found.select_related("project", "project__district", "project__school").first()
    if idea is None:
        raise Http404("no such change idea")
    return idea


def cycle_or_404(user: User, pk: int) -> Cycle:
    found = Cycle.objects.filter(pk=pk, change_idea__project__in=projects_for(user))
    cycle = found.select_related("change_idea", "change_idea__project").first()
    if cycle is None:
        raise Http404("no such cycle")
    return cycle


def measure_or_404(user: User, pk: int) -> Measure:
    found = Measure.objects.filter(pk=pk, project__in=projects_for(user))
    measure = found.select_related("project", "project__district", "project__school").first()
    if measure is None:
        raise Http404("no such measure")
    return measure


def districts_overseen(user: User) -> QuerySet[District]:
    """The districts whose schools ``user`` may compare side by side (district staff and
    administrators): the district page."""
    mine = memberships(user).filter(role__in=DISTRICT_ROLES)
    return District.objects.filter(pk__in=mine.values("district"))


def district_or_404(user: User, district_id: str) -> District:
    found = districts_overseen(user).filter(district_id=district_id).first()
    if found is None:
        raise Http404("no such district")
    return found


def district_admin_of(user: User) -> QuerySet[District]:
    """The districts whose data ``user`` may refresh."""
    mine = memberships(user).filter(role=Role.DISTRICT_ADMIN)
    return District.objects.filter(pk__in=mine.values("district"))


def refresh_districts_for(user: User) -> QuerySet[District]:
    """The districts ``user`` may refresh from the browser: where they are district
    administrator (the decision is in this module's docstring)."""
    return district_admin_of(user)


def refresh_job_or_404(user: User, pk: int) -> RefreshJob:
    """A refresh job of a district ``user`` may refresh; any other is "not found"."""
    found = RefreshJob.objects.filter(pk=pk, district__in=refresh_districts_for(user))
    job = found.select_related("district", "created_by").first()
    if job is None:
        raise Http404("no such refresh")
    return job


def outreach_round_or_404(user: User, pk: int) -> Round:
    """A round of a school whose outreach ``user`` runs (``schools_for``); any other: 404."""
    found = Round.objects.filter(pk=pk, school__in=schools_for(user))
    round_ = found.select_related("school", "school__district", "snapshot").first()
    if round_ is None:
        raise Http404("no such round")
    return round_


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


def contact_or_404(user: User, pk: int) -> Contact:
    """A contact of a student ``user`` sees (they may change it too); out of scope is a 404."""
    found = Contact.objects.filter(pk=pk, student__in=students_for(user))
    contact = found.select_related("student", "student__district").first()
    if contact is None:
        raise Http404("no such contact")
    return contact


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


# The admin pages (docs/platform.md, "People and roles").


def is_superuser(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_superuser", False))


def may_administer(user: User) -> bool:
    """Whether ``user`` may open the admin pages: the superuser, or a district administrator who
    is also staff (the superuser's switch)."""
    if is_superuser(user):
        return True
    staff = user.is_authenticated and user.is_active and getattr(user, "is_staff", False)
    return bool(staff and district_admin_of(user).exists())


def _administered(user: User) -> QuerySet[District]:
    """The districts whose admin pages ``user`` has (none unless staff: ``may_administer``)."""
    return district_admin_of(user) if may_administer(user) else District.objects.none()


def _held_in(districts: QuerySet[District]) -> QuerySet[Membership]:
    """The roles held at one of ``districts``, one of their schools or caseloads (never a
    network's coach)."""
    there = (
        Q(district__in=districts)
        | Q(school__district__in=districts)
        | Q(caseload__district__in=districts)
    )
    return Membership.objects.filter(there, network__isnull=True).exclude(role=Role.COACH)


def admin_districts(user: User) -> QuerySet[District]:
    """The districts a district administrator sees (and may rename) in the admin pages."""
    return _administered(user)


def admin_schools(user: User) -> QuerySet[School]:
    return School.objects.filter(district__in=_administered(user))


def admin_caseloads(user: User) -> QuerySet[Caseload]:
    return Caseload.objects.filter(district__in=_administered(user))


def admin_students(user: User) -> QuerySet[Student]:
    """The students a caseload may be given in the admin pages: the districts' own."""
    return Student.objects.filter(district__in=_administered(user))


def admin_memberships(user: User) -> QuerySet[Membership]:
    """The roles held in the administrator's districts (never a network's: coaches are the
    superuser's)."""
    return _held_in(_administered(user))


def admin_membership_editable(
    user: User, membership: Membership, *, removing: bool = False
) -> bool:
    """Whether a district administrator may change (or with ``removing``, remove)
    ``membership``: one of their districts', not an administrator's (the superuser's); and
    removing, not an account's last role (an account with no role belongs to no district:
    deactivate it instead)."""
    if membership.role not in ADMIN_GIVES:
        return False
    if not admin_memberships(user).filter(pk=membership.pk).exists():
        return False
    others = Membership.objects.filter(user=membership.user_id).exclude(pk=membership.pk)
    return not removing or others.exists()


def district_people(user: User) -> QuerySet[AbstractBaseUser]:
    """The accounts that belong to the administrator's districts: holding at least one role, and
    every role, there (not a superuser)."""
    there = _held_in(_administered(user))
    elsewhere = Membership.objects.exclude(pk__in=there.values("pk"))
    return (
        get_user_model()
        .objects.filter(is_superuser=False, pk__in=there.values("user"))
        .exclude(pk__in=elsewhere.values("user"))
    )


def admin_accounts(user: User) -> QuerySet[AbstractBaseUser]:
    """The accounts a district administrator may change (names, password, active, roles): their
    districts' people who are neither staff nor administrators (those are the superuser's)."""
    people = district_people(user).filter(is_staff=False)
    return people.exclude(memberships__role=Role.DISTRICT_ADMIN)


def admin_api_tokens(user: User) -> QuerySet[ApiToken]:
    """The API keys a district administrator may list and revoke: their districts' people's."""
    return ApiToken.objects.filter(user__in=district_people(user))


def admin_strategies(user: User, *, editable: bool = False) -> QuerySet[Strategy]:
    """The strategies a district administrator sees: the shared catalogue and their districts'
    own; with ``editable``, only their districts' own (the shared catalogue is the superuser's)."""
    districts = _administered(user)
    if not districts.exists():
        return Strategy.objects.none()
    own = Q(district__in=districts)
    return Strategy.objects.filter(own if editable else own | Q(district__isnull=True))


def admin_audit_events(user: User) -> QuerySet[AuditEvent]:
    """The audit events a district administrator reads: those by their districts' people
    (``district_people``, whose every role is in the districts, so whose every event is about
    them), and the failed sign-ins naming one of those accounts. Not the events of an account
    also holding a role elsewhere (they may name another district's students), of the
    superuser, or of a deleted account (district administrators deactivate, never delete)."""
    people = district_people(user)
    return AuditEvent.objects.filter(
        Q(user__in=people)
        | Q(user__isnull=True, action=FAILED_SIGN_IN, object_id__in=people.values("username"))
    )
