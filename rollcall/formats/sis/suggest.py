"""A starting mapping file for an SIS export (``rollcall inspect --suggest-mapping FILE``).

From the export's headers and codes: which file is which table (by its columns, then its name),
which column feeds each canonical column (common SIS spellings, rollcall/formats/sis/vocabulary.py),
the date layout that fits every date seen, and the codes that can be guessed. What cannot be
guessed is written ``"TODO"`` with a comment, and the mapping file refuses to load until each is
decided, so that nothing is read on a guess the user did not see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from rollcall import duck
from rollcall.errors import InputError, OptionError
from rollcall.formats.canonical.vocabulary import STATUSES
from rollcall.formats.sis.export_files import (
    SUFFIXES,
    SourceFile,
    read_header,
    read_source,
    sheet_names,
)
from rollcall.formats.sis.mapping_file import IGNORE, ISO_FORMAT
from rollcall.formats.sis.tables import FIRST_YEAR, LAST_YEAR
from rollcall.formats.sis.vocabulary import (
    ATTRIBUTES,
    DATE_FORMATS,
    HEADERS,
    PERSONAL,
    guess_grade,
    guess_status,
    match_column,
    normalized,
)
from rollcall.grades import normalize_grade
from rollcall.sql import quote_identifier

TODO = "TODO"
# The columns each table is recognised by, and words its file name often has.
NEEDS = {
    "attendance": ("student_id", "date", "status"),
    "enrollments": ("student_id", "entry_date"),
    "students": ("student_id",),
    "calendar": ("date",),
    "schools": ("school_id",),
}
NAME_WORDS = {
    "attendance": ("attend", "absen", "att"),
    "enrollments": ("enrol", "roster", "membership", "entry"),
    "students": ("student", "demog", "person", "pupil"),
    "calendar": ("calendar", "cal", "day"),
    "schools": ("school", "site", "building", "location", "campus"),
}
TABLE_COLUMNS = {
    "schools": ("school_id", "school_name", "district_id", "district_name"),
    "students": ("student_id",),
    "enrollments": ("student_id", "school_id", "grade", "entry_date", "exit_date"),
    "calendar": ("school_id", "date"),
    "attendance": ("student_id", "school_id", "date", "status", "absent_fraction"),
}
# Values that make a column a yes/no group (not T and F, which may be a gender).
YES_NO_WORDS = frozenset(("Y", "N", "YES", "NO", "TRUE", "FALSE", "1", "0"))
MAX_GROUP_VALUES = 12  # an attribute with more values than this is not listed in a comment


@dataclass(frozen=True)
class Candidate:
    """A file (or sheet) of the export and the canonical columns its header seems to hold."""

    path: Path
    name: str  # relative to the input folder
    sheet: str | None
    headers: tuple[str, ...]
    columns: dict[str, str]  # canonical → header

    def role_score(self, role: str) -> int:
        """How well the file fits ``role`` (0: it does not)."""
        if not all(c in self.columns for c in NEEDS[role]):
            return 0
        has = self.columns
        if role == "students" and ({"date", "status", "entry_date"} & has.keys()):
            return 0
        if role in ("calendar", "schools") and "student_id" in has:
            return 0
        if role == "schools" and "date" in has:
            return 0
        named = any(w in self.name.lower() for w in NAME_WORDS[role])
        return 10 * len(NEEDS[role]) + 5 * named + len(has)


@dataclass
class Suggestion:
    """The mapping written, and what the user must still do."""

    text: str
    tables: dict[str, list[str]] = field(default_factory=dict)  # table → files
    todo: int = 0  # entries marked TODO


def write_suggestion(path: Path, out: Path) -> Suggestion:
    """Write a starting mapping for the export at ``path`` into ``out`` (never over a file)."""
    if out.exists():
        raise OptionError(
            f"{out} exists: rollcall does not write over a mapping file",
            hint="choose another name, or remove the file first",
        )
    suggestion = suggest_mapping(path)
    out.write_text(suggestion.text, encoding="utf-8")
    return suggestion


def suggest_mapping(path: Path) -> Suggestion:
    """A starting mapping for the export at ``path`` (a folder, or one file)."""
    if not path.exists():
        raise InputError("input not found", path=path)
    candidates = _candidates(path)
    if not candidates:
        raise InputError("holds no CSV, Excel (.xlsx) or Parquet file", path=path)
    chosen = _assign(candidates)
    con = duck.connect()
    try:
        writer = _Writer(path, con)
        return writer.write(chosen)
    finally:
        con.close()


def _candidates(path: Path) -> list[Candidate]:
    root = path if path.is_dir() else path.parent
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    )
    found = []
    for file in files:
        if file.suffix.lower() not in SUFFIXES:
            continue
        try:
            sheets: list[str | None] = (
                list(sheet_names(file)) if file.suffix.lower() == ".xlsx" else [None]
            )
        except InputError:
            continue  # not a workbook rollcall can open: left out of the suggestion
        for sheet in sheets:
            try:
                headers = read_header(file, sheet=sheet)
            except InputError:
                continue  # not a table rollcall can read: left out of the suggestion
            columns: dict[str, str] = {}
            for canonical, spellings in HEADERS.items():
                match = match_column(headers, spellings)
                if match is not None and match not in columns.values():
                    columns[canonical] = match
            name = file.relative_to(root).as_posix()
            found.append(Candidate(file, name, sheet, headers, columns))
    return found


def _assign(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    """Each table's files: the best-fitting file, with the files that share its header (an
    export split by term or by school)."""
    chosen: dict[str, list[Candidate]] = {}
    taken: set[tuple[Path, str | None]] = set()
    for role in ("attendance", "enrollments", "students", "calendar", "schools"):
        free = [c for c in candidates if (c.path, c.sheet) not in taken and c.role_score(role)]
        if not free:
            continue
        best = max(free, key=lambda c: c.role_score(role))
        same = [c for c in free if c.headers == best.headers]
        chosen[role] = same
        taken |= {(c.path, c.sheet) for c in same}
    return chosen


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


class _Writer:
    """Builds the TOML text, table by table, reading the chosen files for their codes."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.con = con
        self.lines: list[str] = []
        self.todo = 0
        self.read: dict[tuple[Path, str | None], SourceFile] = {}

    def source(self, candidate: Candidate) -> SourceFile:
        key = (candidate.path, candidate.sheet)
        if key not in self.read:
            table = f"_rollcall_suggest_{len(self.read)}"
            self.read[key] = read_source(
                candidate.path, self.con, table, name=candidate.name, sheet=candidate.sheet
            )
        return self.read[key]

    def values(self, files: list[Candidate], column: str) -> list[tuple[str, int]]:
        """Every value of ``column`` over ``files`` with its row count, most rows first."""
        parts = [
            f"SELECT COALESCE({quote_identifier(column)}, '') AS v "
            f"FROM {quote_identifier(self.source(c).table)}"
            for c in files
        ]
        found = self.con.execute(
            f"SELECT v, count(*) FROM ({' UNION ALL '.join(parts)}) GROUP BY v ORDER BY 2 DESC, 1"
        ).fetchall()
        return [(value, int(count)) for value, count in found]

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def mark(self, line: str) -> None:
        self.todo += 1
        self.add(line)

    def write(self, chosen: dict[str, list[Candidate]]) -> Suggestion:
        self.add("# A starting mapping written by `rollcall inspect --suggest-mapping` from")
        self.add(f"# {self.path}. Check every line; decide each TODO (loading refuses them).")
        self.add("# docs/sources/sis.md explains every key.")
        date_format = self.date_format(chosen)
        self.add(f"date_format = {_toml(date_format)}")
        for role in ("schools", "students", "enrollments", "calendar", "attendance"):
            self.add()
            self.table(role, chosen.get(role, []), chosen, date_format)
        self.codes(chosen)
        text = "\n".join(self.lines) + "\n"
        tables = {role: [c.name for c in files] for role, files in chosen.items()}
        return Suggestion(text, tables, self.todo)

    def table(
        self, role: str, files: list[Candidate], chosen: dict[str, list[Candidate]], fmt: str
    ) -> None:
        if not files:
            self.missing_table(role, chosen)
            return
        self.add(f"[{role}]")
        if self.path.is_dir():
            names = [c.name for c in files]
            self.add(f"file = {_toml(names[0]) if len(names) == 1 else json.dumps(names)}")
        if files[0].sheet is not None:
            self.add(f"sheet = {_toml(files[0].sheet)}")
        own = self.table_format(role, files)
        if own is not None and own not in (fmt, ISO_FORMAT):  # ISO dates are always read
            self.add(f"date_format = {_toml(own)}")
        self.add(f"[{role}.columns]")
        first = files[0]
        for canonical in TABLE_COLUMNS[role]:
            if canonical in first.columns:
                self.add(f"{canonical} = {_toml(first.columns[canonical])}")
            elif canonical in (
                "school_name",
                "district_id",
                "district_name",
                "exit_date",
                "absent_fraction",
            ):
                continue  # optional: left out when not seen
            else:
                self.mark(
                    f'{canonical} = "{TODO}"  # TODO: no column found; columns are '
                    + ", ".join(first.headers)
                )
        used = set(first.columns.values())
        if role == "students":
            self.groups(files, used)
        else:
            rest = [h for h in first.headers if h not in used]
            if rest:
                self.add("# not used: " + ", ".join(rest))

    def missing_table(self, role: str, chosen: dict[str, list[Candidate]]) -> None:
        if role == "schools":
            self.add("# No schools file found: the schools are the school ids of the enrollments.")
            enrollments = chosen.get("enrollments", [])
            if enrollments and "district_id" in enrollments[0].columns:
                self.add("[schools]")
                self.add(f"district_column = {_toml(enrollments[0].columns['district_id'])}")
        elif role == "students":
            self.add(
                "# No students file found: the students are the student ids of the "
                "enrollments, with no groups."
            )
        elif role == "calendar":
            self.calendar(chosen.get("attendance", []))
        else:
            self.add(f"[{role}]")
            self.mark(f'file = "{TODO}"  # TODO: no {role} file found; name it (a glob)')
            self.add(f"[{role}.columns]")
            for canonical in TABLE_COLUMNS[role]:
                if canonical in NEEDS.get(role, ()) or canonical in (
                    "school_id",
                    "grade",
                    "status",
                ):
                    self.mark(f'{canonical} = "{TODO}"')

    def groups(self, files: list[Candidate], used: set[str]) -> None:
        first = files[0]
        personal = [h for h in first.headers if normalized(h) in PERSONAL]
        groups = []
        rest = []
        for header in first.headers:
            if header in used or header in personal:
                continue
            name = next((a for a, s in ATTRIBUTES.items() if normalized(header) in s), None)
            groups.append((name or normalized(header) or "group", header))
        self.add("[students.groups]")
        for name, header in groups:
            seen = self.values(files, header)
            values = [v for v, _ in seen if v]
            if values and all(v.upper() in YES_NO_WORDS for v in values):
                self.add(f'{name} = {{ column = {_toml(header)}, values = "yes_no" }}')
            elif len(values) > MAX_GROUP_VALUES:
                rest.append(header)
            else:
                shown = ", ".join(values)
                self.add(f"{name} = {_toml(header)}  # values: {shown}")
        if rest:
            self.add(
                "# Columns with many values, left out (add any that is a group): " + ", ".join(rest)
            )
        if personal:
            self.add("# Personal columns, never read: " + ", ".join(personal))

    def calendar(self, attendance: list[Candidate]) -> None:
        self.add("# No calendar file found: the school days are the weekdays from first_day to")
        self.add("# last_day less the non_instructional dates. first_day and last_day below are")
        self.add("# the first and last attendance dates seen: check them.")
        self.add("[calendar]")
        first, last = self.attendance_span(attendance)
        if first is None or last is None:
            self.mark(f'first_day = "{TODO}"  # TODO: the first day of school (YYYY-MM-DD)')
            self.mark(f'last_day = "{TODO}"  # TODO: the last day of school (YYYY-MM-DD)')
        else:
            self.add(f"first_day = {first.isoformat()}")
            self.add(f"last_day = {last.isoformat()}")
        self.mark(
            "non_instructional = []  # TODO: holidays and breaks, e.g. [2025-11-27, 2025-11-28]"
        )

    def attendance_span(self, files: list[Candidate]) -> tuple[date | None, date | None]:
        if not files or "date" not in files[0].columns:
            return None, None
        fmt = self.table_format("attendance", files)
        if fmt is None:
            return None, None
        days = [_parse(v, fmt) for v, _ in self.values(files, files[0].columns["date"]) if v]
        found = [d for d in days if d is not None]
        return (min(found), max(found)) if found else (None, None)

    def date_format(self, chosen: dict[str, list[Candidate]]) -> str:
        for role in ("attendance", "enrollments", "calendar"):
            fmt = self.table_format(role, chosen.get(role, []))
            if fmt is not None:
                return fmt
        return ISO_FORMAT

    def table_format(self, role: str, files: list[Candidate]) -> str | None:
        """The layout that reads the most dates of the table's date columns (the first such in
        DATE_FORMATS): a few bad dates, which loading refuses, do not hide the layout."""
        names = [c for c in ("date", "entry_date", "exit_date") if c in TABLE_COLUMNS[role]]
        columns = [files[0].columns[c] for c in names if files and c in files[0].columns]
        seen = [v for column in columns for v, _ in self.values(files, column) if v]
        read = {fmt: sum(_parse(v, fmt) is not None for v in seen) for fmt in DATE_FORMATS}
        best = max(DATE_FORMATS, key=lambda fmt: read[fmt])  # the first of the most
        return best if read[best] else None

    def codes(self, chosen: dict[str, list[Candidate]]) -> None:
        attendance = chosen.get("attendance", [])
        if attendance and "status" in attendance[0].columns:
            self.add()
            self.add("# Each code is one of " + ", ".join(list(STATUSES)[:4]) + ",")
            self.add("# " + ", ".join([*list(STATUSES)[4:], IGNORE]) + ",")
            self.add('# or a part-day absence: { status = "unexcused", fraction = 0.5 }.')
            self.add("[codes.status]")
            for code, count in self.values(attendance, attendance[0].columns["status"]):
                guess = guess_status(code)
                if code == "" and guess is None:
                    self.add(
                        f"# {_rows(count)} without a code: refused unless you map "
                        '"" (often "" = "present" in a daily export)'
                    )
                elif guess is not None and guess == code.lower():
                    continue  # a canonical status: read without mapping
                elif guess is not None:
                    self.add(f"{_toml(code)} = {_toml(guess)}  # guessed; {_rows(count)}")
                else:
                    self.mark(f'{_toml(code)} = "{TODO}"  # TODO: {_rows(count)}')
        enrollments = chosen.get("enrollments", [])
        if enrollments and "grade" in enrollments[0].columns:
            lines = []
            for code, count in self.values(enrollments, enrollments[0].columns["grade"]):
                if normalize_grade(code) is not None:
                    continue  # a canonical spelling: read without mapping
                grade = guess_grade(code)
                if grade is not None:
                    lines.append((False, f"{_toml(code)} = {_toml(grade)}  # guessed"))
                elif code:
                    lines.append(
                        (
                            True,
                            f'{_toml(code)} = "{TODO}"  # TODO: {_rows(count)}; '
                            "one of PK, TK, K, 1 to 12, UG",
                        )
                    )
            if lines:
                self.add()
                self.add("[codes.grade]")
                for todo, line in lines:
                    (self.mark if todo else self.add)(line)


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count:,} rows"


def _parse(value: str, fmt: str) -> date | None:
    """``value`` as a date in ``fmt``, when it is one the reader would take (sis_tables)."""
    try:
        day = datetime.strptime(value.strip(), fmt).date()
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
