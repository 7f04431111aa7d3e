"""Planning a school's round: the library plans (``rollcall.api.outreach_plan``: who, which
households, which arm, the letters), from the input the district's latest refresh read, as of
its date; this module stores what it returns.

The platform keeps a refresh's results, not its input (docs/decisions/0004): the library's rules
need the students file's contact columns and each day, so a round is planned from the folder the
refresh read (``Snapshot.source``). A refresh from an upload deletes its files once stored: a
school then plans once the district refreshes from a folder kept on the server."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rollcall import api
from rollcall.errors import RollcallError
from rollcall.web.front.lists import latest_snapshot
from rollcall.web.outreach.contacts import with_platform_contacts
from rollcall.web.outreach.files import round_folder
from rollcall.web.outreach.models import Assignment, Household, Round
from rollcall.web.people.models import School
from rollcall.web.snapshots.models import Snapshot, Student

DEFAULT_WINDOW = timedelta(weeks=6)  # the evaluation's window, from the day after the date


class PlanError(Exception):
    """Why a round cannot be planned, in words for the school team."""


@dataclass(frozen=True)
class Request:
    seed: int
    holdout: float
    window_end: date


def default_window_end(snapshot: Snapshot) -> date:
    return snapshot.period_end + DEFAULT_WINDOW


def plan(school: School, request: Request, *, user: AbstractBaseUser | None) -> Round:
    """Plan and store the school's next round from the district's latest snapshot."""
    snapshot = latest_snapshot(school.district_id)
    if snapshot is None:
        raise PlanError(_("No refresh yet: a round is planned from the district's latest data."))
    return plan_from(school, snapshot, request, user=user)


def plan_from(
    school: School, snapshot: Snapshot, request: Request, *, user: AbstractBaseUser | None
) -> Round:
    """Plan and store a round from ``snapshot`` (the latest, in the platform's pages)."""
    source = Path(snapshot.source)
    if not source.exists():
        raise PlanError(
            _("The input the latest refresh read (%(path)s) is no longer on the server: ask "
              "the district administrator to refresh again.")
            % {"path": source}
        )  # fmt: skip
    if request.window_end <= snapshot.period_end:
        raise PlanError(_("The evaluation's window must end after %(day)s, the data's date.")
                        % {"day": snapshot.period_end})  # fmt: skip
    with transaction.atomic():
        number = (school.outreach_rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        found = Round.objects.create(
            school=school, snapshot=snapshot, number=number, as_of=snapshot.period_end,
            seed=request.seed, holdout=request.holdout,
            window_start=snapshot.period_end + timedelta(days=1),
            window_end=request.window_end, source=str(source), created_by=user,
        )  # fmt: skip
        folder = round_folder(found)
        try:
            planned = api.outreach_plan(
                source, as_of=snapshot.period_end, out_dir=folder, seed=request.seed,
                holdout=request.holdout, policy=snapshot.policy, schools={school.school_id},
                amend_contacts=with_platform_contacts(school.district_id),
            )  # fmt: skip
        except RollcallError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise PlanError(str(exc)) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _store(found, planned, snapshot)
    return found


def _store(found: Round, planned: api.OutreachPlan, snapshot: Snapshot) -> None:
    rows = planned.plan.assignments
    students = {
        s.student_id: s
        for s in Student.objects.filter(
            district=snapshot.district_id, student_id__in=[a.student_id for a in rows]
        )
    }
    missing = sorted({a.student_id for a in rows} - set(students))
    if missing:  # the input changed since the refresh: never a round the pages cannot show
        shutil.rmtree(round_folder(found), ignore_errors=True)
        raise PlanError(
            _("%(n)d students of the input are not in the district's latest refresh: the input "
              "changed since. Refresh the district, then plan again.") % {"n": len(missing)}
        )  # fmt: skip
    Assignment.objects.bulk_create(
        Assignment(round=found, student=students[a.student_id], household_id=a.household_id,
                   arm=a.arm, stratum=a.stratum)
        for a in rows
    )  # fmt: skip
    Household.objects.bulk_create(
        Household(round=found, household_id=r.letter.household_id, language=r.language,
                  family_language=r.letter.language, html=str(r.html), note=r.note)
        for r in planned.rendered
    )  # fmt: skip
    detectable = planned.plan.detectable
    found.detectable = detectable.effect if detectable is not None else None
    found.notes = list(planned.notes)
    found.save(update_fields=["detectable", "notes"])


def approve(found: Round, *, user: AbstractBaseUser) -> bool:
    """Approve the round (who, when); False when it already was (the first approval stands)."""
    from django.utils import timezone

    with transaction.atomic():
        updated = Round.objects.filter(pk=found.pk, approved_at__isnull=True).update(
            approved_at=timezone.now(), approved_by=user
        )
    found.refresh_from_db(fields=["approved_at", "approved_by"])
    return bool(updated)
