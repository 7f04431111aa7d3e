"""``evaluation.json`` and ``evaluation.html``: the round's effect in numbers and in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from rollcall.outreach.estimate import Estimate
from rollcall.outreach.evaluate import MIN_GROUP, OUTCOMES, Evaluation
from rollcall.writing import prepare_folder

TOO_FEW = f"fewer than {MIN_GROUP} measured students in an arm: not estimated"


def estimate_json(found: Estimate | None, outcome: str) -> dict[str, Any]:
    unit = OUTCOMES[outcome][0]
    if found is None:
        return {"effect": None, "ci_low": None, "ci_high": None, "unit": unit, "note": TOO_FEW}
    return {
        "effect": round(found.effect, 4),
        "ci_low": round(found.ci_low, 4),
        "ci_high": round(found.ci_high, 4),
        "se": round(found.se, 4),
        "message_mean": round(found.message_mean, 4),
        "holdout_mean": round(found.holdout_mean, 4),
        "n_message": found.n_message,
        "n_holdout": found.n_holdout,
        "households": found.clusters,
        "unit": unit,
        "method": found.method,
    }


def as_json(evaluation: Evaluation) -> dict[str, Any]:
    result: dict[str, Any] = {
        "school_year": evaluation.school_year,
        "window": {"from": evaluation.start.isoformat(), "to": evaluation.end.isoformat()},
        "students": evaluation.measured,
    }
    for name, found in evaluation.overall.items():
        result[name] = estimate_json(found, name)
        if name in evaluation.adjusted:
            result[name]["adjusted_for_prior_absence"] = estimate_json(
                evaluation.adjusted[name], name
            )
    result["by_school"] = {
        school: {name: estimate_json(found, name) for name, found in outcomes.items()}
        for school, outcomes in evaluation.by_school.items()
    }
    result["by_group"] = {
        dimension: {
            group: {name: estimate_json(found, name) for name, found in outcomes.items()}
            for group, outcomes in groups.items()
        }
        for dimension, groups in evaluation.by_group.items()
    }
    result["summary"] = summary(evaluation)
    return result


def summary(evaluation: Evaluation) -> str:
    """The headline in plain words (docs/outreach.md, "Reading the evaluation")."""
    found = evaluation.overall["absence_rate"]
    if found is None:
        return f"Too few students were measured to estimate an effect ({TOO_FEW})."
    more_or_fewer = "fewer" if found.effect < 0 else "more"
    low, high = sorted((abs(found.ci_low), abs(found.ci_high)))
    if found.ci_low <= 0 <= found.ci_high:
        between = (f"The 95% interval runs from {found.ci_low:+.1f} to {found.ci_high:+.1f} days: "
                   "it includes no effect at all, so this round cannot tell whether the letters "
                   "made a difference.")  # fmt: skip
    else:
        between = f"The 95% interval: between {low:.1f} and {high:.1f}."
    return (f"Families who got the letter: their children missed {abs(found.effect):.1f} "
            f"{more_or_fewer} days per 100 school days than the children of families held out "
            f"({found.message_mean:.1f} against {found.holdout_mean:.1f}), from "
            f"{evaluation.start:%B} {evaluation.start.day} to {evaluation.end:%B} "
            f"{evaluation.end.day}, {evaluation.end.year}. {between}")  # fmt: skip


def write_evaluation(evaluation: Evaluation, out_dir: Path) -> list[Path]:
    prepare_folder(out_dir)
    data = as_json(evaluation)
    json_path = out_dir / "evaluation.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    env = Environment(loader=PackageLoader("rollcall.outreach", "templates"), autoescape=True)
    html = env.get_template("evaluation.html.j2").render(
        data=data, outcomes=OUTCOMES, names=evaluation.school_names
    )
    html_path = out_dir / "evaluation.html"
    html_path.write_text(html, encoding="utf-8")
    return [json_path, html_path]
