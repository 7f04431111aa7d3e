"""A round's evaluation: once its window has ended and a refresh holds its last day, the
library's estimator (``rollcall.api.outreach_evaluate``) on the input that refresh read, kept on
the round (evaluation.json's content, with its plain-language summary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rollcall import api
from rollcall.errors import RollcallError
from rollcall.web.outreach.files import round_folder
from rollcall.web.outreach.models import Round
from rollcall.web.snapshots.models import Snapshot


class EvaluateError(Exception):
    """Why a round cannot be evaluated yet, in words for the school team."""


@dataclass(frozen=True)
class Readiness:
    ready: bool
    why: str  # when not ready
    snapshot: Snapshot | None


def readiness(found: Round, *, today: date) -> Readiness:
    """Whether the round can be evaluated: approved, its window over, and a newer refresh
    holding the window's last day."""
    if found.approved_at is None:
        return Readiness(False, _("A round is evaluated once approved and sent."), None)
    if today <= found.window_end:
        return Readiness(False, _("The round's window ends on %(day)s: the evaluation comes "
                                  "after it.") % {"day": found.window_end}, None)  # fmt: skip
    newer = (
        Snapshot.objects.filter(district=found.school.district_id,
                                period_end__gte=found.window_end,
                                school_year=found.snapshot.school_year)
        .exclude(pk=found.snapshot_id)
        .order_by("-period_end", "-created_at")
        .first()
    )  # fmt: skip
    if newer is None:
        return Readiness(False, _("Waiting for a refresh with the school days up to %(day)s.")
                         % {"day": found.window_end}, None)  # fmt: skip
    return Readiness(True, "", newer)


def evaluate(found: Round, *, today: date) -> dict[str, object]:
    """Run the library's evaluation and keep it on the round."""
    ready = readiness(found, today=today)
    if not ready.ready or ready.snapshot is None:
        raise EvaluateError(ready.why)
    source = Path(ready.snapshot.source)
    if not source.exists():
        raise EvaluateError(_("The input the refresh read (%(path)s) is no longer on the "
                              "server.") % {"path": source})  # fmt: skip
    folder = round_folder(found)
    try:
        result = api.outreach_evaluate(
            source, assignments=folder / "assignments.csv", start=found.window_start,
            end=found.window_end, out_dir=folder / "evaluation", policy=found.snapshot.policy,
        )  # fmt: skip
    except RollcallError as exc:
        raise EvaluateError(str(exc)) from None
    with transaction.atomic():
        found.evaluation = result.summary
        found.evaluated_with = ready.snapshot
        found.save(update_fields=["evaluation", "evaluated_with"])
    return result.summary
