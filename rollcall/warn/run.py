"""The early warning put together: the engine's runs, the rules, the model, the evaluation on a
year whose outcome is known, and the choice between the model and the best rule.

Which years (docs/early-warning.md, "Which years"): the year scored is the as-of date's school
year Y. The model is trained on Y−1 as of the same calendar date (its outcome: Y−1's end-of-year
chronic absence) and scores Y. It is evaluated on the latest year whose outcome the input holds:
Y itself when the input runs to Y's end (a look back at a past year), otherwise Y−1, with a
model trained on Y−2. When no earlier year is there to learn from, only the rules run, and the
result says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression

from rollcall.formats.sources import Source
from rollcall.period import school_year_of
from rollcall.policy import Policy
from rollcall.warn import evaluate, model, ranking, rules
from rollcall.warn.reasons import reasons
from rollcall.warn.years import YearRuns, earlier, shifted

MODEL = "model"
WITHOUT = "model_without_protected"
DEFAULT_RULE = "share_so_far"


@dataclass(frozen=True)
class StudentFlag:
    """One student's line of flags.csv."""

    student_id: str
    school_id: str
    grade: str
    score: float | None  # the probability of ending the year chronically absent
    rank: int  # within the school, 1 most at risk
    tier: str  # intensive, targeted or universal (rollcall/warn/ranking.py)
    reasons: str
    flagged: bool


@dataclass(frozen=True)
class Evaluation:
    """The methods side by side on the evaluation year, and the groups' errors."""

    school_year: str
    as_of: date
    trained_on: str | None
    methods: list[evaluate.MethodResult]
    best_rule: str
    groups: dict[str, list[evaluate.GroupRow]]
    gaps: dict[str, list[str]]

    def method(self, name: str) -> evaluate.MethodResult | None:
        return next((m for m in self.methods if m.name == name), None)


@dataclass(frozen=True)
class Warning:
    """What ``early_warning`` found: the flags of the year scored and how it was chosen."""

    school_year: str
    as_of: date
    caseload: ranking.Caseload
    method: str  # "model" or a rule's name: what the flags use
    why: str  # why that method, in words
    trained_on: str | None
    inputs: tuple[str, ...]  # the model's inputs (empty without a model)
    protected: bool
    flags: list[StudentFlag]
    evaluation: Evaluation | None
    notes: tuple[str, ...] = field(default=())


@dataclass
class _Scored:
    """The scores of every method on one year's students."""

    frame: pd.DataFrame
    scores: dict[str, np.ndarray]
    probabilities: dict[str, np.ndarray | None]
    labels: dict[str, str]


def early_warning(
    source: Source | Path,
    *,
    as_of: date,
    policy: Policy,
    caseload: ranking.Caseload,
    protected: bool = False,
    seed: int = model.SEED,
) -> Warning:
    """Score every student enrolled on ``as_of`` (docs/early-warning.md)."""
    with YearRuns(source, policy) as runs:
        return _early_warning(runs, as_of, caseload, protected, seed)


def _early_warning(
    runs: YearRuns, as_of: date, caseload: ranking.Caseload, protected: bool, seed: int
) -> Warning:
    year = school_year_of(as_of)
    notes: list[str] = []
    current = _frame(runs, year, as_of, with_outcome=runs.known(year, as_of))
    trained = _train(runs, earlier(year), shifted(as_of, 1), protected, seed)
    if trained is None:
        notes.append(
            f"The input has no school year {earlier(year)} with its outcome to learn from, so "
            "only the rules ran: the model is trained on the year before the one scored."
        )
    elif not set(model.LAST_YEAR_INPUTS) & set(trained[0][MODEL].features):
        notes.append(
            f"The training year {earlier(year)} has no year before it in the input, so the model "
            "does not use last year's attendance (it needs three school years for that)."
        )
    scored = _score(current, trained)
    evaluation = None
    if runs.known(year, as_of):
        evaluation = _evaluate(scored, year, as_of, earlier(year) if trained else None, caseload)
    else:
        previous, offset = earlier(year), shifted(as_of, 1)
        if runs.whole(previous) is not None and runs.known(previous, offset):
            back = _train(runs, earlier(year, 2), shifted(as_of, 2), protected, seed)
            past = _score(_frame(runs, previous, offset, with_outcome=True), back)
            evaluation = _evaluate(past, previous, offset, earlier(year, 2) if back else None,
                                   caseload)  # fmt: skip
    method, why = _choose(evaluation, scored)
    flags = _flags(scored, method, caseload)
    return Warning(
        school_year=year,
        as_of=as_of,
        caseload=caseload,
        method=method,
        why=why,
        trained_on=earlier(year) if trained else None,
        inputs=trained[0][MODEL].features if trained else (),
        protected=protected,
        flags=flags,
        evaluation=evaluation,
        notes=tuple(notes),
    )


def _frame(runs: YearRuns, year: str, as_of: date, *, with_outcome: bool) -> pd.DataFrame:
    """A year's students as of a date, with last year's signals and (if asked) the outcome."""
    frame = runs.signals_as_of(year, as_of)
    last = runs.whole(earlier(year))
    if last is not None:
        frame = frame.merge(last.last_year, on="student_id", how="left")
    if with_outcome:
        whole = runs.whole(year)
        assert whole is not None
        frame = frame.merge(whole.outcome, on="student_id", how="left")
    return frame.reset_index(drop=True)


_Trained = tuple[dict[str, model.Model], dict[str, IsotonicRegression]]


def _train(runs: YearRuns, year: str, as_of: date, protected: bool, seed: int) -> _Trained | None:
    """The model (and, with ``protected``, the model without those attributes) and each rule's
    calibration, trained on ``year`` as of ``as_of``; None without that year or its outcome."""
    if runs.whole(year) is None or not runs.known(year, as_of):
        return None
    frame = _frame(runs, year, as_of, with_outcome=True)
    frame = frame[frame["chronic"].notna()].reset_index(drop=True)
    outcome = frame["chronic"].to_numpy(dtype=int)
    if frame.empty or len(set(outcome)) < 2:
        return None
    models = {MODEL: model.train(frame, outcome, inputs=model.features(frame, protected=protected),
                                 seed=seed)}  # fmt: skip
    if protected:
        models[WITHOUT] = model.train(frame, outcome, inputs=model.features(frame), seed=seed)
    calibrations = {}
    for rule in rules.RULES:
        score = rules.rule_score(frame, rule)
        if np.isfinite(score).any():
            fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
            calibrations[rule.name] = fitted.fit(np.nan_to_num(score, nan=-1.0), outcome)
    return models, calibrations


def _score(frame: pd.DataFrame, trained: _Trained | None) -> _Scored:
    scores: dict[str, np.ndarray] = {}
    probabilities: dict[str, np.ndarray | None] = {}
    labels: dict[str, str] = {}
    models, calibrations = trained if trained else ({}, {})
    for name, fitted in models.items():
        scores[name] = probabilities[name] = fitted.predict(frame)
        labels[name] = (
            "model (with the excluded attributes)" if name == MODEL and len(models) > 1
            else "model" if name == MODEL else "model without the excluded attributes"
        )  # fmt: skip
    for rule in rules.RULES:
        if not rules.has_values(frame, rule):
            continue
        score = rules.rule_score(frame, rule)
        scores[rule.name] = score
        calibration = calibrations.get(rule.name)
        probabilities[rule.name] = (
            calibration.predict(np.nan_to_num(score, nan=-1.0)) if calibration else None
        )
        labels[rule.name] = rule.label
    return _Scored(frame=frame, scores=scores, probabilities=probabilities, labels=labels)


def _evaluate(
    scored: _Scored, year: str, as_of: date, trained_on: str | None, caseload: ranking.Caseload
) -> Evaluation:
    frame = scored.frame
    known = frame["chronic"].notna().to_numpy()
    outcome = frame["chronic"].fillna(0).to_numpy(dtype=int)[known]
    methods, flags_of = [], {}
    for name, score in scored.scores.items():
        flags = ranking.flagged(frame, ranking.rank_within_schools(frame, score), caseload)
        flags_of[name] = flags[known]
        probability = scored.probabilities[name]
        methods.append(
            evaluate.method_result(
                name, scored.labels[name], outcome, score[known], flags[known],
                probability[known] if probability is not None else None,
            )
        )  # fmt: skip
    rule_results = [m for m in methods if m.name in rules.RULE_BY_NAME]
    best = max(rule_results, key=lambda m: m.at_caseload.recall or 0.0)  # first of equals
    group_values = {
        "grade": frame["grade"].fillna("unknown").astype(str).to_numpy()[known],
        **{
            column.removeprefix("group_"): frame[column]
            .fillna("unknown")
            .astype(str)
            .to_numpy()[known]
            for column in frame.columns
            if column.startswith("group_")
        },
    }
    shown = [name for name in (MODEL, WITHOUT, best.name) if name in flags_of]
    groups = {name: evaluate.group_rows(outcome, flags_of[name], group_values) for name in shown}
    gaps = {name: evaluate.largest_gaps(rows) for name, rows in groups.items()}
    return Evaluation(
        school_year=year, as_of=as_of, trained_on=trained_on, methods=methods,
        best_rule=best.name, groups=groups, gaps=gaps,
    )  # fmt: skip


def _choose(evaluation: Evaluation | None, scored: _Scored) -> tuple[str, str]:
    """The model where it beats the best rule on recall at the caseload; the rule otherwise."""
    if evaluation is None:
        rule = DEFAULT_RULE
        return rule, (
            "No year with a known outcome could test the model, so the flags use a rule: "
            f"{rules.RULE_BY_NAME[rule].label}."
        )
    best = evaluation.method(evaluation.best_rule)
    assert best is not None
    found = evaluation.method(MODEL)
    rule_recall = best.at_caseload.recall or 0.0
    if found is None or evaluation.trained_on is None:
        return best.name, (
            f"No model could be trained for {evaluation.school_year}, so the flags use the rule "
            f"that found the most students there: {best.label} ({rule_recall:.1%})."
        )
    model_recall = found.at_caseload.recall or 0.0
    if MODEL in scored.scores and model_recall > rule_recall:
        return MODEL, (
            f"On {evaluation.school_year} the model found {model_recall:.1%} of the students who "
            f"ended the year chronically absent at the caseload, against {rule_recall:.1%} for "
            f"the best rule ({best.label}): the flags use the model."
        )
    return best.name, (
        f"On {evaluation.school_year} the model found {model_recall:.1%} at the caseload, not "
        f"more than the best rule ({best.label}, {rule_recall:.1%}): the flags use the rule."
    )


def _flags(scored: _Scored, method: str, caseload: ranking.Caseload) -> list[StudentFlag]:
    frame = scored.frame
    score = scored.scores.get(method)
    if score is None:  # the default rule always has values; this is a student-less year
        score = np.zeros(len(frame))
    probability = scored.probabilities.get(method)
    ranks = ranking.rank_within_schools(frame, score)
    flags = ranking.flagged(frame, ranks, caseload)
    tiers = ranking.tiers(frame, flags, probability if probability is not None
                          else np.full(len(frame), np.nan))  # fmt: skip
    words = reasons(frame)
    result = []
    for n, row in enumerate(frame[["student_id", "school_id", "grade"]].itertuples(index=False)):
        p = (
            None
            if probability is None or not np.isfinite(probability[n])
            else float(probability[n])
        )
        result.append(
            StudentFlag(
                student_id=str(row.student_id), school_id=str(row.school_id),
                grade=str(row.grade), score=p, rank=int(ranks[n]), tier=str(tiers[n]),
                reasons=words[n], flagged=bool(flags[n]),
            )
        )  # fmt: skip
    result.sort(key=lambda f: (f.school_id, f.rank))
    return result
