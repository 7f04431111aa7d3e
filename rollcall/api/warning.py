"""``rollcall warn``: the early warning (docs/early-warning.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rollcall.api.reports import with_dimensions
from rollcall.errors import OptionError
from rollcall.formats.sources import Source, choose_reader
from rollcall.policy import Policy, get_policy
from rollcall.warn.files import as_json, write_warning
from rollcall.warn.ranking import Caseload, parse_caseload
from rollcall.warn.run import Warning, early_warning


@dataclass(frozen=True)
class WarnResult:
    """The early warning's result (``warning``: every student's score, rank, tier and reasons,
    and the evaluation; what the platform stores) and the files written (none without an
    output folder). ``summary`` is ``evaluation.json``'s content."""

    warning: Warning
    summary: dict[str, object]
    files: tuple[Path, ...]


def warn(
    input_dir: Source | Path,
    *,
    as_of: date,
    out_dir: Path | None = None,
    caseload: str | int | Caseload = "20%",
    policy: str | Policy = "attendance-works",
    protected: bool = False,
    seed: int = 0,
) -> WarnResult:
    """Score every student enrolled on ``as_of`` for the risk of ending the year chronically
    absent; with ``out_dir``, write flags.csv, evaluation.json and evaluation.html there.

    ``protected`` adds race and ethnicity, income, disability, English learner status and home
    language to the model's inputs (off by default; docs/early-warning.md)."""
    if choose_reader(Source.of(input_dir)).grain != "days":
        raise OptionError(
            "rollcall warn reads each student's school days, and this input has none (per-student "
            "totals or a state's published figures)",
            hint="give it the district's attendance by day (docs/early-warning.md)",
        )
    chosen = policy if isinstance(policy, Policy) else get_policy(policy)
    found = early_warning(
        with_dimensions(input_dir, ()), as_of=as_of, policy=chosen,
        caseload=parse_caseload(caseload), protected=protected, seed=seed,
    )  # fmt: skip
    files = tuple(write_warning(found, Path(out_dir))) if out_dir is not None else ()
    return WarnResult(warning=found, summary=as_json(found), files=files)
