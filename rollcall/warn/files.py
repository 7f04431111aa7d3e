"""The early warning's files: ``flags.csv`` (staff only: it names students), ``evaluation.json``
and ``evaluation.html`` (counts and rates only, no student)."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from rollcall.warn import charts
from rollcall.warn.run import Evaluation, Warning
from rollcall.writing import CsvWriter, prepare_folder

FLAG_COLUMNS = ("student_id", "school_id", "grade", "score", "rank", "tier", "reasons")


def write_warning(found: Warning, out_dir: Path) -> list[Path]:
    """Write the three files into ``out_dir``; their paths."""
    prepare_folder(out_dir)
    flags = out_dir / "flags.csv"
    with flags.open("w", encoding="utf-8", newline="") as handle:
        writer = CsvWriter(handle)
        writer.writerow(FLAG_COLUMNS)
        for f in found.flags:
            score = "" if f.score is None else f"{f.score:.3f}"
            writer.writerow([f.student_id, f.school_id, f.grade, score, f.rank, f.tier, f.reasons])
    data = as_json(found)
    report = out_dir / "evaluation.json"
    report.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    page = out_dir / "evaluation.html"
    page.write_text(_page(found, data), encoding="utf-8")
    return [flags, report, page]


def as_json(found: Warning) -> dict[str, object]:
    """Everything but the students: what the platform stores beside the flags."""
    flagged = [f for f in found.flags if f.flagged]
    return {
        "school_year": found.school_year,
        "as_of": found.as_of.isoformat(),
        "caseload": str(found.caseload),
        "method": found.method,
        "why": found.why,
        "trained_on": found.trained_on,
        "inputs": list(found.inputs),
        "excluded_attributes_used": found.protected,
        "students": len(found.flags),
        "flagged": len(flagged),
        "tiers": {
            t: sum(1 for f in found.flags if f.tier == t)
            for t in ("intensive", "targeted", "universal")
        },
        "notes": list(found.notes),
        "evaluation": _evaluation(found.evaluation) if found.evaluation else None,
    }


def _evaluation(evaluation: Evaluation) -> dict[str, object]:
    return {
        "school_year": evaluation.school_year,
        "as_of": evaluation.as_of.isoformat(),
        "trained_on": evaluation.trained_on,
        "best_rule": evaluation.best_rule,
        "methods": [m.as_dict() for m in evaluation.methods],
        "groups": {name: [r.as_dict() for r in rows] for name, rows in evaluation.groups.items()},
        "largest_gaps": evaluation.gaps,
    }


def _page(found: Warning, data: dict[str, object]) -> str:
    env = Environment(
        loader=PackageLoader("rollcall.warn", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    evaluation = found.evaluation
    svgs = {}
    if evaluation is not None:
        svgs["recall"] = charts.recall_bars(evaluation.methods)
        svgs["calibration"] = charts.calibration(evaluation.methods)
    return env.get_template("evaluation.html.j2").render(
        found=found, data=data, evaluation=evaluation, svgs=svgs
    )
