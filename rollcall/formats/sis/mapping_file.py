"""The mapping file of an SIS export (docs/sources/sis.md): TOML in, a frozen ``SisMapping`` out.

The file says, for each canonical table, which file(s) of the export feed it and which column
feeds each canonical column; how the export writes dates, attendance codes, grades and yes/no
values; and, when the export has no calendar, the school days. Every key is checked here, once:
an error names the mapping file, the key and what is allowed, so that loading never meets a
mapping it does not understand.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import duckdb

from rollcall import duck
from rollcall.errors import InputError
from rollcall.formats.canonical.format import (
    EXTRA_VALUES,
    OPTIONAL,
    PERSONAL_COLUMNS,
    REQUIRED,
    RESERVED_DIMENSIONS,
)
from rollcall.formats.canonical.vocabulary import STATUSES
from rollcall.formats.origin import ORIGIN_COLUMNS
from rollcall.grades import normalize_grade

TABLES = ("schools", "students", "enrollments", "calendar", "attendance")

ISO_FORMAT = "%Y-%m-%d"
IGNORE = "ignore"  # a status code whose rows are left out (and counted), e.g. "not enrolled"
DELIMITERS = {",": ",", "\t": "\t", "tab": "\t", ";": ";", "|": "|"}
ENCODINGS = ("utf-8", "latin-1", "utf-16")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHOOL_WEEK = (0, 1, 2, 3, 4)  # Monday to Friday: weekends are not school days unless named

# Yes/no values read without being listed (case-insensitive), for attributes marked yes_no.
YES_NO_DEFAULTS: dict[str, str] = {
    **{yes: "Y" for yes in ("Y", "YES", "TRUE", "T", "1")},
    **{no: "N" for no in ("N", "NO", "FALSE", "F", "0")},
}

_TOP_KEYS = ("date_format", "delimiter", "encoding", "codes", *TABLES)
_FILE_KEYS = ("file", "sheet", "columns", "date_format", "delimiter")
_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "schools": (*_FILE_KEYS, "district_column"),
    "students": (*_FILE_KEYS, "groups"),
    "enrollments": _FILE_KEYS,
    "calendar": (*_FILE_KEYS, "first_day", "last_day", "non_instructional", "weekdays", "schools"),
    "attendance": _FILE_KEYS,
}
_SCHEDULE_KEYS = ("first_day", "last_day", "non_instructional", "weekdays")
_CODE_KEYS = ("status", "grade", "yes_no")


@dataclass(frozen=True)
class Column:
    """Where a canonical column's values come from: a source column, or one value for all rows."""

    source: str | None = None
    value: str | None = None
    implied: bool = False  # not in the mapping: looked for under the canonical name


@dataclass(frozen=True)
class StatusCode:
    """What an attendance code means: a canonical status (or ``ignore``) and, for a partial-day
    absence, the share of the day missed (as decimal text)."""

    status: str
    fraction: str | None = None

    def __str__(self) -> str:
        return self.status if self.fraction is None else f"{self.status} × {self.fraction}"


@dataclass(frozen=True)
class Group:
    """A student attribute: its name in the output, the source column, and how values are read
    (``values`` a crosswalk, ``yes_no`` through the yes/no crosswalk; neither: as written)."""

    name: str
    column: str
    values: Mapping[str, str] | None = None
    yes_no: bool = False


@dataclass(frozen=True)
class TableMap:
    """One canonical table read from files of the export."""

    name: str
    files: tuple[str, ...]  # globs relative to the input folder; () = the input file itself
    sheet: str | None
    columns: Mapping[str, Column]  # canonical column → where its values come from
    date_format: str
    delimiter: str | None  # None: told from the file's header
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """School days without a calendar file: weekdays from the first to the last day, less the
    non-instructional dates."""

    first_day: date
    last_day: date
    non_instructional: frozenset[date]
    weekdays: tuple[int, ...] = SCHOOL_WEEK

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        every = (date.fromordinal(self.first_day.toordinal() + n) for n in range(count))
        return [
            day
            for day in every
            if day.weekday() in self.weekdays and day not in self.non_instructional
        ]


@dataclass(frozen=True)
class SchoolDays:
    """The calendar given in the mapping: for all schools, and per school where it differs."""

    default: Schedule | None
    schools: Mapping[str, Schedule] = field(default_factory=dict)

    def for_school(self, school_id: str) -> Schedule | None:
        return self.schools.get(school_id, self.default)


@dataclass(frozen=True)
class SisMapping:
    """A checked mapping file."""

    path: Path
    tables: Mapping[str, TableMap]  # the tables read from files
    status_codes: Mapping[str, StatusCode]
    grade_codes: Mapping[str, str]  # code → canonical grade
    yes_no: Mapping[str, str]  # code → Y or N (the user's, over YES_NO_DEFAULTS)
    encoding: str = "utf-8"
    school_days: SchoolDays | None = None  # when there is no calendar file
    district_column: str | None = None  # schools from ids: the enrollments' district column

    def status_of(self, code: str) -> StatusCode | None:
        """What an attendance code means: the mapping's crosswalk first, then the canonical
        status names (any case); None when neither knows it."""
        if code in self.status_codes:
            return self.status_codes[code]
        if code.lower() in STATUSES:
            return StatusCode(code.lower())
        return None

    def grade_of(self, code: str) -> str | None:
        """The canonical grade for a grade code: the crosswalk first, then the canonical
        spellings (docs/format.md)."""
        if code in self.grade_codes:
            return self.grade_codes[code]
        return normalize_grade(code)

    def yes_no_of(self, code: str) -> str | None:
        return self.yes_no.get(code, YES_NO_DEFAULTS.get(code.upper()))


def read_mapping(path: Path) -> SisMapping:
    """Read and check the mapping file at ``path``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("mapping file not found", path=path) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML: {exc}", path=path) from None
    todo = list(_todo_keys(data, ""))
    if todo:
        raise InputError(
            f"{len(todo)} {'entry is' if len(todo) == 1 else 'entries are'} still TODO: "
            + ", ".join(todo),
            path=path,
            hint="decide each (docs/sources/sis.md lists what is allowed), then load again",
        )
    return _Checker(path).mapping(data)


def _todo_keys(data: object, where: str) -> Iterator[str]:
    """The keys whose value is still "TODO" (as ``--suggest-mapping`` writes what it cannot
    guess)."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = key if key.isidentifier() else repr(key)
            yield from _todo_keys(value, f"{where}.{name}" if where else name)
    elif isinstance(data, list):
        for value in data:
            yield from _todo_keys(value, where)
    elif isinstance(data, str) and data.strip().upper() == "TODO":
        yield where


def inside(pattern: str) -> bool:
    """Whether a file name or glob of the mapping stays inside the input folder it is relative
    to: not absolute (``/data/x.csv``, ``C:\\x.csv``, ``\\\\server\\x.csv``), no ``..``."""
    for flavour in (PurePosixPath(pattern), PureWindowsPath(pattern)):
        if flavour.is_absolute() or flavour.anchor or ".." in flavour.parts:
            return False
    return True


class _Checker:
    """Turns the parsed TOML into a ``SisMapping``, raising at the first key it cannot use."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str, allowed: str | None = None) -> InputError:
        text = f"{key}: {message}" + (f"; allowed: {allowed}" if allowed else "")
        return InputError(text, path=self.path, hint="docs/sources/sis.md lists every key")

    def keys(self, table: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                name = f"{where}.{key}" if where else key
                raise self.fail(
                    name,
                    "is not a key of " + (f"[{where}]" if where else "the mapping file"),
                    ", ".join(allowed),
                )

    def section(self, data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"{where}{key}", "must be a table ([...] section or { ... })")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, not {value!r}")
        return value

    def mapping(self, data: dict[str, Any]) -> SisMapping:
        self.keys(data, "", _TOP_KEYS)
        date_format = self.date_format(data.get("date_format", ISO_FORMAT), "date_format")
        delimiter = self.delimiter(data.get("delimiter"), "delimiter")
        encoding = data.get("encoding", "utf-8")
        if encoding not in ENCODINGS:
            raise self.fail(
                "encoding", f"{encoding!r} is not an encoding rollcall reads", ", ".join(ENCODINGS)
            )
        for required in ("enrollments", "attendance"):
            if required not in data:
                raise self.fail(f"[{required}]", "is missing: the export must have it")
        tables: dict[str, TableMap] = {}
        for name in TABLES:
            section = self.section(data, name, "")
            self.keys(section, name, _TABLE_KEYS[name])
            if name in data and self.reads_file(name, section):
                tables[name] = self.table(name, section, date_format, delimiter)
        calendar = self.section(data, "calendar", "")
        school_days = None if "calendar" in tables else self.school_days(calendar)
        schools = self.section(data, "schools", "")
        district = schools.get("district_column")
        if district is not None and "schools" in tables:
            raise self.fail(
                "schools.district_column",
                "is only for schools taken from the "
                "enrollments' ids (no schools file); map district_id in "
                "[schools.columns] instead",
            )
        codes = self.section(data, "codes", "")
        self.keys(codes, "codes", _CODE_KEYS)
        return SisMapping(
            path=self.path,
            tables=tables,
            status_codes=self.status_codes(self.section(codes, "status", "codes.")),
            grade_codes=self.grade_codes(self.section(codes, "grade", "codes.")),
            yes_no=self.yes_no(self.section(codes, "yes_no", "codes.")),
            encoding=encoding,
            school_days=school_days,
            district_column=None if district is None else self.text(district, "district_column"),
        )

    def reads_file(self, name: str, section: Mapping[str, Any]) -> bool:
        """Whether the table comes from files: schools and students may be taken from the
        enrollments' ids, and the calendar given as days, instead."""
        if name == "calendar":
            given = [key for key in (*_SCHEDULE_KEYS, "schools") if key in section]
            files = [key for key in _FILE_KEYS if key in section]
            if given and files:
                raise self.fail(
                    f"calendar.{given[0]}",
                    f"cannot be used with calendar.{files[0]}:"
                    " give a calendar file or the school days, not both",
                )
            return bool(files)
        if name == "schools":  # else taken from the enrollments' ids
            return any(key in section for key in ("file", "sheet", "columns"))
        if name == "students":  # else taken from the enrollments' ids, with no groups
            return bool(section)
        return True

    def table(
        self, name: str, section: dict[str, Any], date_format: str, delimiter: str | None
    ) -> TableMap:
        files = section.get("file", [])
        files = [files] if isinstance(files, str) else files
        if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
            raise self.fail(f"{name}.file", "must be a file name or glob, or a list of them")
        for pattern in files:
            if not inside(pattern):
                raise self.fail(
                    f"{name}.file",
                    f"{pattern!r} is not inside the input folder: give a path relative to it, "
                    "without '..' and not starting at / or a drive",
                )
        sheet = section.get("sheet")
        return TableMap(
            name=name,
            files=tuple(files),
            sheet=None if sheet is None else self.text(sheet, f"{name}.sheet"),
            columns=self.columns(name, self.section(section, "columns", f"{name}.")),
            date_format=self.date_format(
                section.get("date_format", date_format), f"{name}.date_format"
            ),
            delimiter=self.delimiter(section.get("delimiter", delimiter), f"{name}.delimiter"),
            groups=self.groups(self.section(section, "groups", f"{name}.")),
        )

    def columns(self, name: str, section: dict[str, Any]) -> dict[str, Column]:
        allowed = REQUIRED[name] + OPTIONAL[name]
        columns = {}
        for canonical, value in section.items():
            key = f"{name}.columns.{canonical}"
            if canonical not in allowed:
                raise self.fail(key, f"is not a column of {name}", ", ".join(allowed))
            if isinstance(value, dict):
                self.keys(value, key, ("value",))
                columns[canonical] = Column(value=self.text(str(value.get("value", "")), key))
            else:
                columns[canonical] = Column(source=self.text(value, key))
        # A canonical column the mapping does not name is looked for under its own name.
        return {c: columns.get(c, Column(source=c, implied=True)) for c in allowed}

    def groups(self, section: dict[str, Any]) -> tuple[Group, ...]:
        reserved = (
            *RESERVED_DIMENSIONS,
            "student_id",
            *PERSONAL_COLUMNS,
            *ORIGIN_COLUMNS,
            EXTRA_VALUES,
        )
        groups = []
        for name, value in section.items():
            key = f"students.groups.{name}"
            if name in reserved:
                raise self.fail(
                    key,
                    f"{name!r} cannot be a group name: rollcall uses it",
                    "any other name, e.g. student_" + name,
                )
            if isinstance(value, str):
                groups.append(Group(name, self.text(value, key)))
                continue
            if not isinstance(value, dict):
                raise self.fail(key, 'must be a column name or { column = "...", values = ... }')
            self.keys(value, key, ("column", "values"))
            column = self.text(value.get("column"), f"{key}.column")
            values = value.get("values")
            if values is None:
                groups.append(Group(name, column))
            elif values == "yes_no":
                groups.append(Group(name, column, yes_no=True))
            elif isinstance(values, dict):
                crosswalk = {str(k): self.text(v, f"{key}.values.{k}") for k, v in values.items()}
                groups.append(Group(name, column, values=crosswalk))
            else:
                raise self.fail(
                    f"{key}.values",
                    f"{values!r} is not a crosswalk",
                    '"yes_no" or a table of value = "group"',
                )
        return tuple(groups)

    def status_codes(self, section: dict[str, Any]) -> dict[str, StatusCode]:
        allowed = ", ".join([*STATUSES, IGNORE])
        codes = {}
        for code, value in section.items():
            key = f"codes.status.{code!r}"
            fraction = None
            if isinstance(value, dict):
                self.keys(value, key, ("status", "fraction"))
                fraction = self.fraction(value.get("fraction"), f"{key}.fraction")
                value = value.get("status")
            status = value.strip().lower() if isinstance(value, str) else value
            if status not in STATUSES and status != IGNORE:
                raise self.fail(key, f"{value!r} is not a status", allowed)
            if fraction is not None and (status == IGNORE or not STATUSES[status][0]):
                raise self.fail(
                    f"{key}.fraction",
                    f"a fraction is only for an absence, not {status!r}",
                    "excused, unexcused, suspension",
                )
            codes[code] = StatusCode(status, fraction)
        return codes

    def fraction(self, value: Any, key: str) -> str | None:
        if value is None:
            return None
        try:
            number = Decimal(str(value)) if isinstance(value, (int, float, str)) else None
        except InvalidOperation:
            number = None
        if number is None or not 0 < number <= 1:
            raise self.fail(key, f"{value!r} is not a share of the day", "a number in (0, 1]")
        return format(number.normalize(), "f")

    def grade_codes(self, section: dict[str, Any]) -> dict[str, str]:
        codes = {}
        for code, value in section.items():
            # "09" = 9 is as clear as "09" = "9"
            plain = isinstance(value, (str, int)) and not isinstance(value, bool)
            grade = normalize_grade(str(value)) if plain else None
            if grade is None:
                raise self.fail(
                    f"codes.grade.{code!r}", f"{value!r} is not a grade", "PK, TK, K, 1 to 12, UG"
                )
            codes[code] = grade
        return codes

    def yes_no(self, section: dict[str, Any]) -> dict[str, str]:
        codes = {}
        for code, value in section.items():
            answer = YES_NO_DEFAULTS.get(value.strip().upper()) if isinstance(value, str) else None
            if answer is None:
                raise self.fail(f"codes.yes_no.{code!r}", f"{value!r} is not yes or no", "Y, N")
            codes[code] = answer
        return codes

    def date_format(self, value: Any, key: str) -> str:
        fmt = self.text(value, key)
        if not gives_whole_date(fmt):
            raise self.fail(
                key,
                f"{fmt!r} is not a date format that gives a whole date",
                "strftime codes such as %m/%d/%Y, %Y%m%d, %d.%m.%Y",
            )
        return fmt

    def delimiter(self, value: Any, key: str) -> str | None:
        if value is None:
            return None
        if value not in DELIMITERS:
            raise self.fail(
                key,
                f"{value!r} is not a delimiter rollcall reads",
                '",", "\\t" (or "tab"), ";", "|"',
            )
        return DELIMITERS[value]

    def school_days(self, section: dict[str, Any]) -> SchoolDays:
        schools = self.section(section, "schools", "calendar.")
        default = (
            self.schedule(section, "calendar", None)
            if "first_day" in section or ("last_day" in section)
            else None
        )
        per_school = {}
        for school, value in schools.items():
            key = f"calendar.schools.{school}"
            if not isinstance(value, dict):
                raise self.fail(key, "must be a table of first_day, last_day, non_instructional")
            self.keys(value, key, _SCHEDULE_KEYS)
            per_school[str(school)] = self.schedule(value, key, default or section)
        if default is None and not per_school and section:
            raise self.fail(
                "calendar", "names no calendar file (file) and no first_day and last_day"
            )
        return SchoolDays(default, per_school)

    def schedule(
        self, section: Mapping[str, Any], where: str, base: Schedule | Mapping[str, Any] | None
    ) -> Schedule:
        """A schedule from ``section``; keys it lacks come from ``base`` (the all-schools one)."""

        def given(key: str) -> Any:
            if key in section:
                return section[key]
            if isinstance(base, Schedule):
                return getattr(base, key)
            return None if base is None else base.get(key)

        first, last = given("first_day"), given("last_day")
        if first is None or last is None:
            missing = "first_day" if first is None else "last_day"
            raise self.fail(
                f"{where}.{missing}",
                "is missing: the school days need both the first and the last day",
            )
        first, last = self.day(first, f"{where}.first_day"), self.day(last, f"{where}.last_day")
        if last < first:
            raise self.fail(f"{where}.last_day", f"{last} is before first_day {first}")
        off = given("non_instructional") or []
        if not isinstance(off, (list, frozenset)):
            raise self.fail(f"{where}.non_instructional", "must be a list of dates")
        weekdays = given("weekdays")
        return Schedule(
            first_day=first,
            last_day=last,
            non_instructional=frozenset(self.day(d, f"{where}.non_instructional") for d in off),
            weekdays=SCHOOL_WEEK if weekdays is None else self.weekdays(weekdays, where),
        )

    def day(self, value: Any, key: str) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value) if isinstance(value, str) else date.fromisoformat("")
        except ValueError:
            raise self.fail(key, f"{value!r} is not a date", "YYYY-MM-DD dates") from None

    def weekdays(self, value: Any, where: str) -> tuple[int, ...]:
        if isinstance(value, tuple):  # inherited from the all-schools schedule
            return value
        names = [str(v).strip().lower()[:3] for v in value] if isinstance(value, list) else None
        if not names or any(n not in WEEKDAYS for n in names):
            raise self.fail(
                f"{where}.weekdays",
                f"{value!r} is not a list of weekdays",
                "Mon, Tue, Wed, Thu, Fri, Sat, Sun",
            )
        return tuple(sorted({WEEKDAYS.index(n) for n in names}))


@functools.cache
def gives_whole_date(fmt: str) -> bool:
    """Whether DuckDB, which applies the format, writes a date with it and reads it back whole."""
    con = duck.connect()
    try:
        sql = "SELECT try_strptime(strftime($d, $f), $f)::DATE = $d"
        return bool(con.execute(sql, {"f": fmt, "d": date(2025, 9, 3)}).fetchall()[0][0])
    except duckdb.Error:
        return False
    finally:
        con.close()
