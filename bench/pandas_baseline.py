"""A plain pandas implementation of docs/rules.md, for the benchmark to compare the engine with.

What a competent analyst would write: vectorised pandas, ids as integer codes and dates as day
numbers to keep memory down, and the student-days materialised (every enrollment window joined to
its school's calendar), because that is the natural pandas way to take the union of days at the
district and total levels. Policy: Attendance Works (a partial day counts as its fraction, at least
10 enrolled days, chronic at 10% exactly).

It reads *clean* data (``rollcall synth`` without ``--messy``): no row is checked or refused, and
there are no duplicate attendance rows to choose between. It writes ``student_metrics.csv`` and
``summary.csv`` in the engine's format (docs/rules.md, "Output formats"); no ``rejects.csv``.

    python bench/pandas_baseline.py INPUT_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

MICRO = 1_000_000
MINIMUM_ENROLLED_DAYS = 10
ABSENCES = ("suspension", "unexcused", "excused")  # tie order on a shared date: first wins
PERSONAL = {"student_id", "first_name", "middle_name", "last_name", "birth_date"}
# Family contact columns (docs/format.md, "Contact columns"): never groups unless declared.
CONTACT = {
    "household_id", "home_language", "guardian_name", "guardian_email", "guardian_phone",
    "address_line1", "address_line2", "city", "state", "postal_code", "opt_out",
    "absence_documented",
}  # fmt: skip
LEVELS = ("school", "district", "total")
GRADES = ("PK", "TK", "K", *(str(n) for n in range(1, 13)), "UG")
GRADE_SPELLINGS = {"PK": "PK", "TK": "TK", "UG": "UG"} | dict.fromkeys(
    ("K", "KG", "KN", "0K", "00", "0"), "K"
)
GRADE_SPELLINGS |= {f"{z}{n}": str(n) for n in range(1, 13) for z in ("", "0")}
EPOCH = np.datetime64("1970-01-01", "D")


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def day_numbers(text: pd.Series) -> np.ndarray:
    """ISO dates as days since 1970 (int32)."""
    dates = pd.to_datetime(text, format="%Y-%m-%d").to_numpy("datetime64[D]")
    return (dates - EPOCH).astype(np.int32)


def codes(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Each value's position in ``ids`` (int32, to keep the student-days small)."""
    return ids.get_indexer(values).astype(np.int32)


def period(calendar_days: np.ndarray) -> tuple[str, int, int]:
    """The latest school year in the calendar: its name, first and last day numbers."""
    latest = pd.Timestamp(EPOCH + int(calendar_days.max()))
    start_year = latest.year if latest.month >= 7 else latest.year - 1
    start = (np.datetime64(f"{start_year}-07-01", "D") - EPOCH).astype(int)
    end = (np.datetime64(f"{start_year + 1}-06-30", "D") - EPOCH).astype(int)
    return f"{start_year}-{(start_year + 1) % 100:02d}", int(start), int(end)


def load(folder: Path) -> dict[str, pd.DataFrame | pd.Index | str | int]:
    """The five files as frames of integer codes: student ``s``, school ``k``, district ``u``."""
    schools, students = read(folder, "schools"), read(folder, "students")
    if "district_id" not in schools:
        schools["district_id"] = "district"
    school_ids = pd.Index(schools["school_id"])
    district_codes, district_ids = pd.factorize(schools["district_id"])
    student_ids = pd.Index(students["student_id"])

    calendar = read(folder, "calendar")
    cal = pd.DataFrame(
        {"k": codes(school_ids, calendar["school_id"]), "d": day_numbers(calendar["date"])}
    )
    year, start, end = period(cal["d"].to_numpy())
    cal = cal[(cal["d"] >= start) & (cal["d"] <= end)]

    raw = read(folder, "enrollments")
    exits = raw["exit_date"].where(raw["exit_date"] != "", str(EPOCH + end))
    enr = pd.DataFrame(
        {
            "s": codes(student_ids, raw["student_id"]),
            "k": codes(school_ids, raw["school_id"]),
            "grade": raw["grade"].str.upper().map(GRADE_SPELLINGS),
            "entry": day_numbers(raw["entry_date"]),
            "exit": day_numbers(exits),
        }
    )
    enr["line"] = np.arange(len(enr), dtype=np.int32)

    raw = read(folder, "attendance")
    status = raw["status"].str.lower()
    fraction = pd.to_numeric(raw["absent_fraction"].replace("", "1"))
    att = pd.DataFrame(
        {
            "s": codes(student_ids, raw["student_id"]),
            "k": codes(school_ids, raw["school_id"]),
            "d": day_numbers(raw["date"]),
            "micro": np.round(fraction.to_numpy() * MICRO).astype(np.int64),
            "rank": status.map({c: n for n, c in enumerate(ABSENCES)}),
        }
    )
    att = att[att["rank"].notna() & (att["d"] >= start) & (att["d"] <= end)]
    att["rank"] = att["rank"].astype(np.int8)
    return {
        "year": year,
        "cal": cal,
        "enr": enr,
        "att": att,
        "students": students,
        "student_ids": student_ids,
        "school_ids": school_ids,
        "district_ids": pd.Index(district_ids),
        "district_of": pd.Series(district_codes, dtype=np.int32),
    }


def student_days(enr: pd.DataFrame, cal: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per student, school and enrolled day (overlapping windows counted once); and the
    enrollments that have at least one enrolled day."""
    days = enr[["s", "k", "entry", "exit", "line"]].merge(cal, on="k")
    days = days[(days["d"] >= days["entry"]) & (days["d"] <= days["exit"])]
    used = enr[enr["line"].isin(days["line"].unique())]
    return days[["s", "k", "d"]].drop_duplicates(), used[["s", "k", "line", "entry", "grade"]]


def with_unit(frame: pd.DataFrame, level: str, district_of: pd.Series) -> pd.DataFrame:
    """``frame`` with the unit column ``u`` of ``level``: the school, its district, or 0."""
    if level == "school":
        unit = frame["k"].to_numpy()
    elif level == "district":
        unit = district_of.to_numpy()[frame["k"].to_numpy()]
    else:
        unit = np.zeros(len(frame), dtype=np.int32)
    return frame.assign(u=unit)


def level_metrics(
    days: pd.DataFrame, att: pd.DataFrame, used: pd.DataFrame, level: str, district_of: pd.Series
) -> pd.DataFrame:
    """Per student and unit: days enrolled (a union of dates), days absent by category (the smaller
    absence on a date shared by two schools), grade, eligible, chronic and tier."""
    days = with_unit(days, level, district_of)
    # The union of dates: a date of a second school the same day is a repeat of (s, u, d).
    repeat = days.duplicated(["s", "u", "d"]).to_numpy()
    out = days[~repeat].groupby(["s", "u"]).size().rename("days_enrolled").reset_index()
    shared = days[repeat].groupby(["s", "u", "d"]).size().rename("schools") + 1

    # A day's absence at the unit: the smallest over the schools the student was enrolled at
    # that day, where a school without a row counts 0. So a date keeps its absence only when
    # every enrolled school has a row; then the smallest row (ties: suspension, unexcused,
    # excused) gives the absence and its category.
    att = with_unit(att, level, district_of)
    att = att.sort_values(["micro", "rank"])
    rows = att.groupby(["s", "u", "d"], sort=False).agg(
        micro=("micro", "first"), rank=("rank", "first"), n=("micro", "size")
    )
    rows = rows.join(shared, how="left")
    rows = rows[rows["n"] >= rows["schools"].fillna(1)].reset_index()
    sums = rows.pivot_table(
        index=["s", "u"], columns="rank", values="micro", aggfunc="sum", fill_value=0
    ).reindex(columns=range(len(ABSENCES)), fill_value=0)
    sums.columns = [f"days_{name}" for name in ABSENCES]
    out = out.merge(sums.reset_index(), on=["s", "u"], how="left").fillna(0)
    for name in ABSENCES:
        out[f"days_{name}"] = out[f"days_{name}"].astype(np.int64)
    out["days_absent"] = out[[f"days_{name}" for name in ABSENCES]].sum(axis=1)

    # Grade: the enrollment with the latest entry (then the later line) that has an enrolled day.
    used = with_unit(used, level, district_of)
    latest = used.sort_values(["entry", "line"]).drop_duplicates(["s", "u"], keep="last")
    out = out.merge(latest[["s", "u", "grade"]], on=["s", "u"])
    return decide(out)


def decide(out: pd.DataFrame) -> pd.DataFrame:
    """Eligible, chronically absent and tier, decided exactly in millionths of a day."""
    absent, enrolled = out["days_absent"], out["days_enrolled"].astype(np.int64) * MICRO
    out["eligible"] = out["days_enrolled"] >= MINIMUM_ENROLLED_DAYS
    out["chronic"] = absent * 10 >= enrolled
    out["tier"] = np.select(
        [absent * 20 < enrolled, absent * 10 < enrolled, absent * 5 < enrolled],
        ["satisfactory", "at_risk", "moderate"],
        "severe",
    )
    return out


def decimal_text(micro: pd.Series) -> pd.Series:
    """Millionths as a decimal with no trailing zeros: 17000000 → ``17``, 500000 → ``0.5``."""
    whole = (micro // MICRO).astype(str)
    part = (micro % MICRO).astype(str).str.zfill(6).str.rstrip("0")
    return whole.where(part == "", whole + "." + part)


def student_metrics(data: dict, levels: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``student_metrics`` table, formatted and ordered as the engine writes it."""
    frames = []
    for level, out in levels.items():
        unit_ids = {
            "school": data["school_ids"],
            "district": data["district_ids"],
            "total": pd.Index(["total"]),
        }[level]
        enrolled = out["days_enrolled"].astype(np.int64)
        eligible = out["eligible"]
        frame = pd.DataFrame(
            {
                "school_year": data["year"],
                "level": level,
                "unit_id": unit_ids.take(out["u"].to_numpy()),
                "student_id": data["student_ids"].take(out["s"].to_numpy()),
                "grade": out["grade"].to_numpy(),
                "days_enrolled": enrolled.astype(str).to_numpy(),
                "days_absent": decimal_text(out["days_absent"]).to_numpy(),
                "days_excused": decimal_text(out["days_excused"]).to_numpy(),
                "days_unexcused": decimal_text(out["days_unexcused"]).to_numpy(),
                "days_suspension": decimal_text(out["days_suspension"]).to_numpy(),
                "absence_rate": decimal_text(
                    (2 * out["days_absent"] + enrolled) // (2 * enrolled)
                ).to_numpy(),
                "eligible": np.where(eligible, "true", "false"),
                "chronically_absent": np.where(
                    eligible, np.where(out["chronic"], "true", "false"), ""
                ),
                "tier": np.where(eligible, out["tier"], ""),
            }
        )
        frames.append(frame.sort_values(["unit_id", "student_id"]))
    return pd.concat(frames, ignore_index=True)


def summary(data: dict, metrics: pd.DataFrame) -> pd.DataFrame:
    """The ``summary`` table: per unit, eligible students counted for the whole unit, each grade
    and each value of each student attribute (an empty value is ``unknown``)."""
    students = data["students"]
    attributes = [c for c in students.columns if c not in PERSONAL | CONTACT]
    groups = students[["student_id", *attributes]].replace("", "unknown")
    base = metrics[["level", "unit_id", "student_id", "grade", "eligible", "chronically_absent"]]
    base = base.assign(
        eligible=base["eligible"] == "true",
        chronic=base["chronically_absent"] == "true",
        tier=metrics["tier"],
    ).merge(groups, on="student_id", how="left")
    base[attributes] = base[attributes].fillna("unknown")
    base["all"] = "all"
    tiers = ("satisfactory", "at_risk", "moderate", "severe")
    for tier in tiers:
        base[tier] = base["tier"] == tier
    frames = []
    for dimension in ("all", "grade", *attributes):
        counted = (
            base.groupby(["level", "unit_id", dimension], sort=False)
            .agg(
                eligible_students=("eligible", "sum"),
                chronically_absent=("chronic", "sum"),
                **{tier: (tier, "sum") for tier in tiers},
            )
            .reset_index()
            .rename(columns={dimension: "group"})
        )
        counted["dimension"] = dimension
        frames.append(counted)
    out = pd.concat(frames, ignore_index=True)
    eligible = out["eligible_students"].astype(np.int64)
    rate = (2 * out["chronically_absent"] * MICRO + eligible) // (2 * eligible.clip(lower=1))
    out["chronic_absence_rate"] = decimal_text(rate).where(eligible > 0, "")
    out["school_year"] = data["year"]
    order = {
        "_level": out["level"].map({level: n for n, level in enumerate(LEVELS)}),
        "_dimension": out["dimension"].map(
            {name: n for n, name in enumerate(("all", "grade", *attributes))}
        ),
        "_group": out["group"].map({g: n for n, g in enumerate(GRADES)}).fillna(len(GRADES)),
    }
    out = out.assign(**order).sort_values(["_level", "unit_id", "_dimension", "_group", "group"])
    columns = ["school_year", "level", "unit_id", "dimension", "group", "eligible_students"]
    columns += ["chronically_absent", "chronic_absence_rate", *tiers]
    return out[columns]


def main(input_dir: Path | str, out_dir: Path | str) -> None:
    """Read the clean canonical folder ``input_dir``; write ``student_metrics.csv`` and
    ``summary.csv`` into ``out_dir``."""
    data = load(Path(input_dir))
    days, used = student_days(data["enr"], data["cal"])
    levels = {
        level: level_metrics(days, data["att"], used, level, data["district_of"])
        for level in LEVELS
    }
    del days
    metrics = student_metrics(data, levels)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metrics.to_csv(out / "student_metrics.csv", index=False, lineterminator="\n")
    summary(data, metrics).to_csv(out / "summary.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pandas_baseline.py INPUT_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
