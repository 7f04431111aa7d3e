"""Students and their groups from Ed-Fi: demographics from StudentEducationOrganizationAssociation
and program associations, as student attribute columns (docs/format.md, "Student attributes").

- ``sex``: the SexDescriptor's code value;
- ``race_ethnicity``: ``Hispanic or Latino`` when HispanicLatinoEthnicity is true, else the one
  race given (its code value), ``Two or more races`` when several are given;
- ``limited_english_proficiency``: the LimitedEnglishProficiencyDescriptor's code value;
- one Y/N column per StudentCharacteristic seen (``economic_disadvantaged`` for Economic
  Disadvantaged): Y for the students who have it, N for the others with demographics;
- one column per StudentIndicator name seen (``indicator_…``), its value as written;
- ``special_education``, ``homeless``, ``migrant``, ``food_service``, ``language_instruction``:
  Y when the student has an association with that program in the input, whatever its dates; N
  otherwise. A characteristic with the same name as a program column sets the same column (Y
  when either says so).

A column exists only when the input gives a value for it; a student without a value is in the
group ``unknown``. When a student has demographics from several education organizations, those
of the district (LocalEducationAgency) are used, else the first read.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rollcall.formats.canonical.format import PERSONAL_COLUMNS, RESERVED_DIMENSIONS
from rollcall.formats.edfi.descriptors import code_value
from rollcall.formats.edfi.model import PROGRAMS, DemographicsRow, EdfiData

YES, NO = "Y", "N"
TRUE = frozenset(["true", "1", "yes", "y"])
_NOT_A_NAME = re.compile(r"[^a-z0-9]+")
_TAKEN = frozenset(["student_id", *PERSONAL_COLUMNS, *RESERVED_DIMENSIONS])


def column_name(text: str, prefix: str = "") -> str:
    """A column name for a characteristic or indicator: ``Economic Disadvantaged`` →
    ``economic_disadvantaged``."""
    name = prefix + _NOT_A_NAME.sub("_", text.lower()).strip("_")
    return f"characteristic_{name}" if name in _TAKEN or not name else name


def student_attributes(data: EdfiData, student_ids: list[str]) -> dict[str, dict[str, str]]:
    """Column → (student id → value), for the students ``student_ids``."""
    columns: dict[str, dict[str, str]] = {}
    chosen = _demographics_by_student(data)
    characteristics = sorted({c for row in chosen.values() for c in row.characteristics}, key=str)
    indicators = sorted({name for row in chosen.values() for name, _ in row.indicators})
    if any(row.sex for row in chosen.values()):
        columns["sex"] = {s: code_value(row.sex) for s, row in chosen.items() if row.sex}
    if any(row.hispanic or row.races for row in chosen.values()):
        columns["race_ethnicity"] = {s: _race(row) for s, row in chosen.items()}
    if any(row.limited_english for row in chosen.values()):
        columns["limited_english_proficiency"] = {
            s: code_value(row.limited_english) for s, row in chosen.items() if row.limited_english
        }
    for characteristic in characteristics:
        name = column_name(code_value(characteristic))
        having = {s for s, row in chosen.items() if characteristic in row.characteristics}
        _set_flags(columns, name, {s: YES if s in having else NO for s in chosen})
    for indicator in indicators:
        values = {s: value for s, row in chosen.items() for n, value in row.indicators
                  if n == indicator}  # fmt: skip
        columns[column_name(indicator, "indicator_")] = values
    programs: dict[str, set[str]] = defaultdict(set)
    for row in data.programs:
        if row.student_id:
            programs[row.program].add(row.student_id)
    for program in PROGRAMS.values():
        if program in programs:
            having = programs[program]
            _set_flags(columns, program, {s: YES if s in having else NO for s in student_ids})
    return {name: {s: values.get(s, "") for s in student_ids} for name, values in columns.items()}


def _set_flags(columns: dict[str, dict[str, str]], name: str, values: dict[str, str]) -> None:
    """Set a Y/N column, or combine with the one of that name: Y wins, then N."""
    if name not in columns:
        columns[name] = values
        return
    old = columns[name]
    for student, value in values.items():
        if value == YES or old.get(student) in (None, ""):
            old[student] = value


def _demographics_by_student(data: EdfiData) -> dict[str, DemographicsRow]:
    districts = {row.district_id for row in data.districts if row.district_id}
    districts |= {row.district_id for row in data.schools if row.district_id}
    chosen: dict[str, DemographicsRow] = {}
    for row in data.demographics:
        if not row.student_id:
            continue
        current = chosen.get(row.student_id)
        if current is None or (
            row.organization_id in districts and current.organization_id not in districts
        ):
            chosen[row.student_id] = row
    return chosen


def _race(row: DemographicsRow) -> str:
    if row.hispanic is not None and row.hispanic.strip().lower() in TRUE:
        return "Hispanic or Latino"
    if len(set(row.races)) > 1:
        return "Two or more races"
    return code_value(row.races[0]) if row.races else ""
