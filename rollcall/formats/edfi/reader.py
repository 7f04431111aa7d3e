"""Ed-Fi as a source (docs/sources/edfi.md): a folder of XML interchange files (Data Standard
3.x to 5.x), or of resources pulled from an ODS/API by ``rollcall fetch``, read into the five
canonical tables.

The work is split by what it holds: xml_files.py and json_files.py read entities into rows
(model.py); descriptors.py is the crosswalk of descriptors; calendar.py finds
the school days; students.py the student groups; tables.py makes the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from rollcall.errors import InputError
from rollcall.formats.canonical.format import RawFile, create_raw_table, student_attributes
from rollcall.formats.edfi.descriptors import DOCS, load_crosswalk
from rollcall.formats.edfi.json_files import read_json, resource_files
from rollcall.formats.edfi.model import PROGRAMS, ROLES, EdfiData
from rollcall.formats.edfi.pull import STATE
from rollcall.formats.edfi.tables import JSON_ORIGINS, ORIGINS, Columns, Translated, translate
from rollcall.formats.edfi.xml_files import interchange_files, read_xml
from rollcall.formats.origin import ORIGIN_FILE, ORIGIN_LINE
from rollcall.formats.sources import FileSeen, Grain, Inspection, Loaded, ReadOptions

ENROLLMENT_HINT = (
    "add the StudentEnrollment interchange (StudentSchoolAssociation), or give "
    "--enrollment-from-sessions to assume each student with attendance was enrolled for the "
    f"sessions they have events in (said in the output; {DOCS})"
)

KINDS = ("AttendanceEventCategory", "GradeLevel", "CalendarEvent")  # descriptors, in this order

# What each entity gives, for the inspection: canonical column (or meaning) → element.
MATCHED: dict[str, dict[str, str]] = {
    "StudentSchoolAttendanceEvent": ORIGINS["attendance"],
    "StudentSchoolAssociation": ORIGINS["enrollments"],
    "Student": ORIGINS["students"],
    "School": {k: v for k, v in ORIGINS["schools"].items() if k != "district_name"},
    "LocalEducationAgency": {"district_name": "NameOfInstitution"},
    "Session": {"school days": "BeginDate, EndDate", "checked against": "TotalInstructionalDays"},
    "Calendar": {"school_id": "SchoolId"},
    "CalendarDate": {"date": "Date", "school day or not": "CalendarEvent"},
    "StudentEducationOrganizationAssociation": {
        "sex": "Sex",
        "race_ethnicity": "Race, HispanicLatinoEthnicity",
        "limited_english_proficiency": "LimitedEnglishProficiency",
        "a Y/N group each": "StudentCharacteristic",
        "indicator_… groups": "StudentIndicator",
    },
    **{name: {column: "StudentReference"} for name, column in PROGRAMS.items()},
}


@dataclass(frozen=True)
class EdfiReader:
    kind: str = "edfi"
    grain: Grain = "days"
    uses_mapping: bool = True  # --mapping extends the descriptor crosswalk

    def detect(self, path: Path) -> bool:
        return path.is_dir() and bool(interchange_files(path) or resource_files(path))

    def load(self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions) -> Loaded:
        data = read(path)
        translated = translate(
            data,
            load_crosswalk(options.mapping),
            enrollment_from_sessions=options.enrollment_from_sessions,
        )
        _stop_on_unmapped(translated, path)
        if translated.enrollments_missing:
            students = len({e.student_id for e in data.events})
            raise InputError(
                f"has no enrollments: no StudentSchoolAssociation for the {students:,} students "
                "with attendance events",
                path=path,
                hint=ENROLLMENT_HINT,
            )
        if not translated.tables["calendar"]["date"]:
            raise InputError(
                "has no school days: no Session and no CalendarDate to tell them",
                path=path,
                hint="add the EducationOrgCalendar interchange (Session, Calendar, CalendarDate)",
            )
        origins = JSON_ORIGINS if _is_pull(data) else ORIGINS
        raw = {
            name: _raw_file(con, name, table, data, origins[name])
            for name, table in translated.tables.items()
        }
        if translated.assumed_enrollments:
            # Assumed rows point at a student's first event, but they come from no file.
            given = sorted({row.file for row in data.enrollments})
            where = " + ".join([*given, "assumed"]) if len(given) < 3 else "files + assumed"
            raw["enrollments"] = replace(raw["enrollments"], label=f"{where} (enrollments)")
        return Loaded(
            kind=self.kind,
            grain=self.grain,
            raw=raw,
            notes=tuple(translated.notes),
            # A pull's bookkeeping file is read by ``rollcall fetch``, not unread.
            files=(*(found.path for found in data.files), path / STATE),
            dimensions=declared_groups(raw["students"]),
        )

    def inspect(self, path: Path, options: ReadOptions) -> Inspection:
        data = read(path)
        translated = translate(
            data,
            load_crosswalk(options.mapping),
            enrollment_from_sessions=options.enrollment_from_sessions,
        )
        missing = list(translated.missing)
        if translated.enrollments_missing:
            missing.append("loading needs --enrollment-from-sessions (or the enrollments)")
        days = [d for d in (_date(r.date) for r in translated.calendar.rows) if d is not None]
        return Inspection(
            kind=self.kind,
            grain=self.grain,
            files=tuple(_files_seen(data)),
            codes=tuple(sorted(translated.codes, key=lambda c: KINDS.index(c.column))),
            first_date=min(days, default=None),
            last_date=max(days, default=None),
            missing=tuple(missing),
            notes=tuple(_inspection_notes(data, translated)),
        )


def read(path: Path) -> EdfiData:
    """The Ed-Fi entities of the folder ``path``: XML interchange files or saved resources."""
    if not path.is_dir():
        raise InputError(
            "is not a folder: Ed-Fi input is a folder of interchange files or saved resources",
            path=path,
        )
    xml, json = interchange_files(path), resource_files(path)
    if xml and json:
        raise InputError(
            "holds both XML interchange files and saved API resources",
            path=path,
            hint="keep one kind of Ed-Fi input per folder",
        )
    if not xml and not json:
        raise InputError(
            "holds no Ed-Fi interchange file (.xml) and no saved resource (.jsonl)",
            path=path,
            hint=f"see {DOCS}",
        )
    data = read_xml(path, xml) if xml else read_json(path, json)
    if not data.events:
        raise InputError(
            "holds no StudentSchoolAttendanceEvent",
            path=path,
            hint="rollcall needs the StudentAttendance interchange (or the "
            "studentSchoolAttendanceEvents resource)",
        )
    return data


def _is_pull(data: EdfiData) -> bool:
    return any(found.path.suffix in (".json", ".jsonl") for found in data.files)


def _stop_on_unmapped(translated: Translated, path: Path) -> None:
    if not translated.unmapped:
        return
    unmapped = sorted(translated.unmapped, key=lambda u: KINDS.index(u.kind))
    listed = "; ".join(f"{u.kind} {u.code!r} ({u.count:,})" for u in unmapped)
    raise InputError(
        f"Ed-Fi descriptors not in the crosswalk: {listed}",
        path=path,
        hint="map each in a mapping file under [edfi.attendance], [edfi.grades] or "
        f"[edfi.calendar_events] and give it with --mapping FILE ({DOCS})",
    )


def _raw_file(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Columns,
    data: EdfiData,
    origin: dict[str, str],
) -> RawFile:
    """``raw_<name>``, as read_canonical makes it, from ``columns``."""
    table = pa.table(
        {
            column: pa.array(values, pa.int64() if column == ORIGIN_LINE else pa.string())
            for column, values in columns.items()
        }
    )
    view = f"_edfi_{name}"
    con.register(view, table)
    try:
        create_raw_table(con, f"raw_{name}", "* FROM {source}", view)
    finally:
        con.unregister(view)
    files = sorted(set(table.column(ORIGIN_FILE).to_pylist()))
    where = files[0] if len(files) == 1 else f"{len(files)} files" if files else "no file"
    paths = [found.path for found in data.files if found.path.name in files]
    return RawFile(
        name=name,
        path=paths[0] if len(paths) == 1 else data.folder,
        table=f"raw_{name}",
        columns=tuple(table.column_names),
        rows=table.num_rows,
        label=f"{where} ({name})",
        origin={k: v for k, v in origin.items() if k in table.column_names},
    )


def _files_seen(data: EdfiData) -> list[FileSeen]:
    seen = []
    for found in data.files:
        for entity, count in sorted(found.entities.items()):
            if entity in ROLES:
                seen.append(
                    FileSeen(
                        path=found.path,
                        rows=count,
                        role=f"{ROLES[entity]}: {entity}",
                        matched=MATCHED[entity],
                        unmatched=found.unused.get(entity, ()),
                    )
                )
        others = {e: n for e, n in found.entities.items() if e not in ROLES}
        if others:
            listed = ", ".join(f"{e} ({n:,})" for e, n in sorted(others.items()))
            seen.append(
                FileSeen(path=found.path, rows=sum(others.values()), role=f"not read: {listed}")
            )
    return seen


def _inspection_notes(data: EdfiData, translated: Translated) -> list[str]:
    standards = sorted({found.standard for found in data.files if found.standard})
    notes = (
        [f"Interchange files of Ed-Fi Data Standard {', '.join(standards)}."] if standards else []
    )
    notes += translated.notes
    if data.has("StudentSectionAttendanceEvent"):
        notes.append(
            "StudentSectionAttendanceEvent (class-period attendance) is not read: rollcall counts "
            "whole days from StudentSchoolAttendanceEvent."
        )
    events = [d for d in (_date(e.date) for e in data.events) if d is not None]
    if events:
        notes.append(f"Attendance events from {min(events)} to {max(events)}.")
    return notes


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def declared_groups(students: RawFile) -> tuple[str, ...]:
    """The groups Ed-Fi's own model defines (demographics, characteristics, programs), which
    are reporting dimensions by its declaration; not the indicators, whose names and values are
    whatever a district wrote (they are kept private unless declared)."""
    return tuple(c for c in student_attributes(students) if not c.startswith("indicator_"))


READER = EdfiReader()
