"""Hypothesis strategies: tiny random canonical folders, with a share of bad rows of every kind.

A ``Dataset`` holds the five tables as rows of strings plus how each file is spelled (byte-order
mark, CRLF, blank lines, column order); ``Dataset.write(folder)`` writes it. The dates sit in a
short window that may straddle 30 June, so that two school years, ignored rows and the default
year are all exercised.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from hypothesis import strategies as st

from rollcall.policy import POLICIES, Policy

SUMMER = [  # 2024-06-24 .. 2024-07-12: the end of 2023-24 and the start of 2024-25
    datetime.date(2024, 6, 24) + datetime.timedelta(days=n) for n in range(19)
]
FALL = [datetime.date(2024, 9, 2) + datetime.timedelta(days=n) for n in range(19)]
WINDOWS = {"summer": SUMMER, "fall": FALL, "both": SUMMER + FALL}
FAR_DATES = ["2023-09-05", "2024-05-31", "2024-08-20", "2024-10-01"]

SCHOOL_IDS = ["A", "B", "C", "D"]
ATTRIBUTES = {
    "gender": ["F", "M", "X", ""],
    "english_learner": ["Y", "N", ""],
    "program": ["a b", "x, y", 'say "hi"', "two\nlines", ""],
}
PERSONAL = {"first_name": ["Ann", "Bo", ""], "birth_date": ["2015-01-02", ""]}
GRADE_SPELLINGS = ["KG", "k", "K", "kn", "0", "00", "05", "5", "3", "03", "012", "12", "PK"]
GRADE_SPELLINGS += ["tk", "UG", "ug", "8", "9", "1", "01"]
BAD_DATES = ["2024-9-3", "09/03/2024", "2024-02-30", "2024-13-01", "20240903"]
ABSENCES = ["excused", "unexcused", "suspension"]
PRESENCES = ["present", "tardy", "early_departure", "in_school_suspension"]
ABSENCE_FRACTIONS = ["", "", "1", "0.5", "0.25", ".75", "0.3333335", "1.0", "0.333334"]
PRESENCE_FRACTIONS = ["", "", "0", "0.0"]
BAD_FRACTIONS = ["1.5", "abc", "1e-1", "-0.5", "1.0000005"]


@dataclass
class Spelling:
    """How one file is written; none of it may change what the file means."""

    bom: bool = False
    crlf: bool = False
    blank_after: frozenset[int] = frozenset()  # blank lines after these data rows
    column_order: tuple[int, ...] | None = None  # a permutation of the header
    # Data rows written with values beyond the header (refused as "too many values"), and data
    # rows written with empty trailing fields (harmless): numbers as in blank_after.
    extra_after: frozenset[int] = frozenset()
    empty_tail: frozenset[int] = frozenset()


@dataclass
class Dataset:
    tables: dict[str, list[list[str]]]  # file name -> header and rows
    spellings: dict[str, Spelling] = field(default_factory=dict)

    def text(self, name: str) -> str:
        rows = self.tables[name]
        spelling = self.spellings.get(name, Spelling())
        order = spelling.column_order or tuple(range(len(rows[0])))
        newline = "\r\n" if spelling.crlf else "\n"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=newline)
        for number, row in enumerate(rows):
            tail = []
            if number > 0 and number in spelling.extra_after:
                tail = ["", "extra"]
            elif number > 0 and number in spelling.empty_tail:
                tail = ["", ""]
            writer.writerow([row[i] for i in order] + tail)
            if number in spelling.blank_after:
                buffer.write(newline)
        return ("\ufeff" if spelling.bom else "") + buffer.getvalue()

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.tables:
            (folder / name).write_text(self.text(name), encoding="utf-8", newline="")
        return folder

    def __repr__(self) -> str:  # readable in a hypothesis failure report
        return "Dataset(\n" + "".join(f"--- {n}\n{self.text(n)}" for n in self.tables) + ")"


def _pad(draw: st.DrawFn, value: str) -> str:
    """Sometimes surround a value with spaces: values are trimmed."""
    return draw(st.sampled_from([value, value, value, f" {value}", f"{value}  "]))


def _insert_bad(draw: st.DrawFn, rows: list[list[str]], bad: list[list[str]]) -> None:
    for row in bad:
        rows.insert(draw(st.integers(0, len(rows))), row)


@st.composite
def _schools(draw: st.DrawFn) -> tuple[list[list[str]], list[str], bool]:
    count = draw(st.integers(1, 4))
    ids = SCHOOL_IDS[:count]
    has_district = draw(st.booleans())
    header = ["school_id", "school_name"] + (["district_id"] if has_district else [])
    rows = []
    for school in ids:
        row = [_pad(draw, school), draw(st.sampled_from(["Adams", "Baker, Elem.", "Two\nline"]))]
        if has_district:
            row.append(_pad(draw, draw(st.sampled_from(["D1", "D2"]))))
        rows.append(row)
    bad = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["missing id", "missing district", "duplicate"]))
        district = ["D2"] if has_district else []
        if kind == "missing id":
            bad.append(["", "Nameless", *district])
        elif kind == "missing district" and has_district:
            bad.append([draw(st.sampled_from([*ids, "E"])), "No district", ""])
        else:
            bad.append([draw(st.sampled_from(ids)), "Again", *district])
    _insert_bad(draw, rows, bad)
    return [header, *rows], ids, has_district


@st.composite
def _students(draw: st.DrawFn) -> tuple[list[list[str]], list[str]]:
    count = draw(st.integers(1, 6))
    ids = [f"s{n}" for n in range(1, count + 1)]
    columns = draw(st.lists(st.sampled_from(sorted(ATTRIBUTES)), max_size=3, unique=True))
    columns += draw(st.lists(st.sampled_from(sorted(PERSONAL)), max_size=1, unique=True))
    values = {**ATTRIBUTES, **PERSONAL}
    rows = [
        [_pad(draw, student), *(draw(st.sampled_from(values[c])) for c in columns)]
        for student in ids
    ]
    bad = []
    for _ in range(draw(st.integers(0, 2))):
        student = draw(st.sampled_from(["", " ", *ids]))
        bad.append([student, *(draw(st.sampled_from(values[c])) for c in columns)])
    _insert_bad(draw, rows, bad)
    return [["student_id", *columns], *rows], ids


def _iso(day: datetime.date) -> str:
    return day.isoformat()


@st.composite
def _enrollment_plan(
    draw: st.DrawFn, student: str, schools: list[str], pool: list[datetime.date]
) -> list[list[str]]:
    """A student's enrollments: one open window, a transfer, a re-enrollment, or two at once."""
    kind = draw(st.sampled_from(["open", "window", "transfer", "reenroll", "concurrent", "none"]))
    if kind == "none":
        return []
    first = draw(st.sampled_from(schools))
    other = draw(st.sampled_from(schools))
    grade = draw(st.sampled_from(GRADE_SPELLINGS))
    later_grade = draw(st.sampled_from([grade, *GRADE_SPELLINGS]))
    i = draw(st.integers(0, len(pool) - 1))
    j = draw(st.integers(i, len(pool) - 1))
    start = _iso(pool[0]) if draw(st.booleans()) else _iso(pool[i])
    if kind == "open":
        return [[student, first, grade, start, ""]]
    if kind == "window":
        return [[student, first, grade, _iso(pool[i]), _iso(pool[j])]]
    if kind == "concurrent":
        return [
            [student, first, grade, start, ""],
            [student, other, later_grade, _iso(pool[i]), ""],
        ]
    if j + 1 >= len(pool):
        return [[student, first, grade, _iso(pool[i]), _iso(pool[j])]]
    k = draw(st.integers(j + 1, len(pool) - 1))
    second = first if kind == "reenroll" else other
    return [
        [student, first, grade, _iso(pool[i]), _iso(pool[j])],
        [student, second, later_grade, _iso(pool[k]), draw(st.sampled_from(["", _iso(pool[-1])]))],
    ]


def _bad_enrollment(draw: st.DrawFn, students: list[str], schools: list[str]) -> list[str]:
    student = draw(st.sampled_from(students))
    school = draw(st.sampled_from(schools))
    good = [student, school, "3", "2024-09-03", ""]
    kind = draw(st.integers(0, 8))
    if kind <= 3:  # a missing value in one of the required columns
        good[kind] = ""
        return good
    if kind == 4:
        return [student, school, draw(st.sampled_from(["14", "13", "K1", "001"])), good[3], ""]
    if kind == 5:
        bad_date = draw(st.sampled_from(BAD_DATES))
        return [student, school, "3", *draw(st.sampled_from([[bad_date, ""], [good[3], bad_date]]))]
    if kind == 6:
        return ["zz", school, "3", good[3], ""]
    if kind == 7:
        return [student, "Z", "3", good[3], ""]
    return [student, school, "3", "2024-09-05", "2024-09-04"]


@st.composite
def _enrollments(
    draw: st.DrawFn, students: list[str], schools: list[str], pool: list[datetime.date]
) -> list[list[str]]:
    rows: list[list[str]] = []
    for student in students:
        rows.extend(draw(_enrollment_plan(student, schools, pool)))
    if draw(st.booleans()):  # an enrollment dated wholly outside the window
        rows.append([students[0], schools[0], "2", "2024-05-01", "2024-05-31"])
    _insert_bad(
        draw,
        rows,
        [_bad_enrollment(draw, students, schools) for _ in range(draw(st.integers(0, 3)))],
    )
    rows = [[_pad(draw, value) for value in row] for row in rows]
    header = ["student_id", "school_id", "grade", "entry_date", "exit_date"]
    if all(row[4] == "" for row in rows) and draw(st.booleans()):
        return [header[:4], *(row[:4] for row in rows)]  # no exit_date column at all
    return [header, *rows]


@st.composite
def _calendar(
    draw: st.DrawFn, schools: list[str], pool: list[datetime.date]
) -> tuple[list[list[str]], dict[str, list[datetime.date]]]:
    days = {}
    rows = []
    for school in schools:
        weekdays = draw(st.sets(st.integers(0, 5), min_size=1))  # 5: some Saturdays too
        days[school] = [day for day in pool if day.weekday() in weekdays]
        rows.extend([school, _iso(day)] for day in days[school])
    bad = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["missing", "invalid", "unknown", "duplicate", "far"]))
        school = draw(st.sampled_from(schools))
        if kind == "missing":
            bad.append(draw(st.sampled_from([["", _iso(pool[0])], [school, ""]])))
        elif kind == "invalid":
            bad.append([school, draw(st.sampled_from(BAD_DATES))])
        elif kind == "unknown":
            bad.append(["Z", _iso(draw(st.sampled_from(pool)))])
        elif kind == "duplicate" and rows:
            bad.append(list(draw(st.sampled_from(rows))))
        else:
            bad.append([school, draw(st.sampled_from(FAR_DATES))])
    _insert_bad(draw, rows, bad)
    rows = [[_pad(draw, value) for value in row] for row in rows]
    return [["school_id", "date"], *rows], days


def _covered(
    enrollments: list[list[str]], student: str, school: str, days: list[datetime.date]
) -> list[datetime.date]:
    """The school days inside the student's enrollment rows there (mostly; rows may be bad)."""
    covered = []
    for row in enrollments[1:]:
        if row[0].strip() != student or row[1].strip() != school:
            continue
        try:
            entry = datetime.date.fromisoformat(row[3].strip())
            exit_ = row[4].strip() if len(row) > 4 else ""
            last = datetime.date.fromisoformat(exit_) if exit_ else datetime.date.max
        except ValueError:
            continue
        covered += [day for day in days if entry <= day <= last]
    return sorted(set(covered))


def _case(draw: st.DrawFn, status: str) -> str:
    return draw(st.sampled_from([status, status, status.upper(), status.title()]))


@st.composite
def _attendance(
    draw: st.DrawFn,
    enrollments: list[list[str]],
    days: dict[str, list[datetime.date]],
    students: list[str],
    schools: list[str],
    pool: list[datetime.date],
) -> list[list[str]]:
    rows: list[list[str]] = []
    pairs = sorted({(row[0].strip(), row[1].strip()) for row in enrollments[1:]})
    pairs = [(s, school) for s, school in pairs if s in students and school in days]
    for _ in range(draw(st.integers(0, 12)) if pairs else 0):
        student, school = draw(st.sampled_from(pairs))
        enrolled = _covered(enrollments, student, school, days[school])
        day = draw(st.sampled_from(enrolled or days[school] or pool))
        if draw(st.integers(0, 4)) == 0:
            status = draw(st.sampled_from(PRESENCES))
            fraction = draw(st.sampled_from(PRESENCE_FRACTIONS))
        else:
            status = draw(st.sampled_from(ABSENCES))
            fraction = draw(st.sampled_from(ABSENCE_FRACTIONS))
        row = [student, school, _iso(day), _case(draw, status), fraction]
        rows.append(row)
        if draw(st.integers(0, 3)) == 0:  # another row for the same day
            status = draw(st.sampled_from(ABSENCES + PRESENCES))
            fraction = (
                ""
                if draw(st.booleans())
                else draw(
                    st.sampled_from(ABSENCE_FRACTIONS if status in ABSENCES else PRESENCE_FRACTIONS)
                )
            )
            rows.append([student, school, _iso(day), _case(draw, status), fraction])
    bad = []
    for _ in range(draw(st.integers(0, 4))):
        student = draw(st.sampled_from(students))
        school = draw(st.sampled_from(schools))
        day = _iso(draw(st.sampled_from(pool)))
        kind = draw(st.integers(0, 11))
        if kind <= 3:
            row = [student, school, day, "excused", ""]
            row[kind] = ""
        elif kind == 4:
            row = [student, school, draw(st.sampled_from(BAD_DATES)), "excused", ""]
        elif kind == 5:
            row = [student, school, day, draw(st.sampled_from(["sick", "absent", "x"])), ""]
        elif kind == 6:
            row = [student, school, day, "unexcused", draw(st.sampled_from(BAD_FRACTIONS))]
        elif kind == 7:
            row = draw(
                st.sampled_from(
                    [[student, school, day, "excused", "0"], [student, school, day, "tardy", "0.5"]]
                )
            )
        elif kind == 8:
            row = draw(
                st.sampled_from(
                    [["zz", school, day, "excused", ""], [student, "Z", day, "excused", ""]]
                )
            )
        elif kind == 9:  # dated far away: ignored, or refused when inside the period
            row = [student, school, draw(st.sampled_from(FAR_DATES)), "excused", ""]
        elif kind == 10:  # not a calendar day of the school (a Sunday at the least)
            closed = [d for d in pool if d not in days.get(school, [])]
            row = [student, school, _iso(draw(st.sampled_from(closed))), "excused", ""]
        else:  # a school day, for a student who may not be enrolled then
            open_days = days.get(school) or pool
            row = [student, school, _iso(draw(st.sampled_from(open_days))), "unexcused", ""]
        bad.append(row)
    _insert_bad(draw, rows, bad)
    rows = [[_pad(draw, value) for value in row] for row in rows]
    header = ["student_id", "school_id", "date", "status", "absent_fraction"]
    if all(row[4] == "" for row in rows) and draw(st.booleans()):
        return [header[:4], *(row[:4] for row in rows)]  # no absent_fraction column at all
    if draw(st.booleans()):
        return [
            [*header, "note"],
            *([*row, draw(st.sampled_from(["", "a, b", "x\ny"]))] for row in rows),
        ]
    return [header, *rows]


@st.composite
def _spelling(draw: st.DrawFn, rows: list[list[str]]) -> Spelling:
    blank = (
        draw(st.sets(st.integers(0, len(rows) - 1), max_size=2)) if draw(st.booleans()) else set()
    )
    order = None
    if draw(st.booleans()):
        order = tuple(draw(st.permutations(range(len(rows[0])))))
    data_rows = st.integers(1, max(1, len(rows) - 1))
    extra = draw(st.sets(data_rows, max_size=1)) if draw(st.booleans()) else set()
    empty = draw(st.sets(data_rows, max_size=1)) if draw(st.booleans()) else set()
    return Spelling(
        draw(st.booleans()),
        draw(st.booleans()),
        frozenset(blank),
        order,
        frozenset(extra),
        frozenset(empty),
    )


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A tiny canonical folder: 1-4 schools, 1-6 students, a few weeks of days."""
    pool = WINDOWS[draw(st.sampled_from(sorted(WINDOWS)))]
    schools, school_ids, _has_district = draw(_schools())
    students, student_ids = draw(_students())
    enrollments = draw(_enrollments(student_ids, school_ids, pool))
    calendar, days = draw(_calendar(school_ids, pool))
    attendance = draw(_attendance(enrollments, days, student_ids, school_ids, pool))
    tables = {
        "schools.csv": schools,
        "students.csv": students,
        "enrollments.csv": enrollments,
        "calendar.csv": calendar,
        "attendance.csv": attendance,
    }
    spellings = {name: draw(_spelling(rows)) for name, rows in tables.items()}
    return Dataset(tables, spellings)


CUTOFFS = [Fraction(1, 2), Fraction(1), Fraction(1, 4), Fraction(3, 4), Fraction(333334, 10**6)]
THRESHOLDS = [Fraction(1, 10), Fraction(1, 5), Fraction(1, 4), Fraction(1, 3), Fraction(1)]
GRADE_SETS = [
    None,
    frozenset(["TK", "K", "1", "2", "3", "4", "5", "6", "7", "8"]),
    frozenset(["K", "5"]),
    frozenset(["3", "12", "UG"]),
]


@st.composite
def custom_policies(draw: st.DrawFn) -> Policy:
    """Policies small enough for tiny data: 1-3 enrolled days make a student eligible."""
    partial = draw(st.sampled_from(["fraction", "cutoff"]))
    return Policy(
        name="custom",
        description="generated for a property test",
        minimum_enrolled_days=draw(st.integers(1, 3)),
        partial_day=partial,
        partial_day_cutoff=draw(st.sampled_from(CUTOFFS)) if partial == "cutoff" else None,
        grades=draw(st.sampled_from(GRADE_SETS)),
        require_attended_day=draw(st.booleans()),
        threshold=draw(st.sampled_from(THRESHOLDS)),
        # "program" is no known dimension: counted only when declared, else kept private.
        dimensions=draw(st.sampled_from([(), ("program",), ("Program", "gender")])),
    )


def policies() -> st.SearchStrategy[Policy]:
    """A named policy now and then; mostly custom ones that decide on tiny data."""
    return st.one_of(st.sampled_from(list(POLICIES.values())), custom_policies(), custom_policies())


YEARS = [None, None, "2024-25", "2023-24"]


@st.composite
def periods(draw: st.DrawFn) -> tuple[str | None, datetime.date | None]:
    """A ``year`` and an ``as_of`` date; the pair may be invalid (as_of outside the year)."""
    year = draw(st.sampled_from(YEARS))
    as_of = draw(st.none() | st.sampled_from(SUMMER + FALL))
    return year, as_of
