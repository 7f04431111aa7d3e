"""Privacy by declaration (docs/format.md, "Student attributes"): a column of the students file
is a group only when it is a known dimension or declared; every other column stays private and
is named in a note; a dimension that looks like an identifier or personal field is refused."""

from __future__ import annotations

import json
from pathlib import Path

import ibis
import pytest
from canonical import write_canonical
from command import rollcall
from outputs import absences, calendar_rows, read_csv, school_days

from rollcall import api
from rollcall.engine.backend import connect
from rollcall.errors import PolicyError
from rollcall.formats.canonical.dimensions import (
    DimensionError,
    personal,
    personal_name,
    values_counted,
)
from rollcall.formats.sources import ReadOptions, Source
from rollcall.policy import policy_from_mapping

# Values no written file may hold: each is one student's own.
SECRETS = ("Zelda", "Quincy", "123-45-6789", "987-65-4321", "zelda@example.org", "555-0100")


def folder_of(path: Path, students: list[dict[str, str]]) -> Path:
    """One school (A, district D), 20 school days; every student enrolled all along in grade 3,
    absent the first ``n % 4`` days (n their position)."""
    days = school_days(20)
    first = days[0].isoformat()
    return write_canonical(
        path,
        schools=[{"school_id": "A", "school_name": "Adams", "district_id": "D"}],
        students=students,
        enrollments=[
            {"student_id": s["student_id"], "school_id": "A", "grade": "3", "entry_date": first}
            for s in students
        ],
        calendar=calendar_rows("A", days),
        attendance=[
            row
            for n, s in enumerate(students)
            for row in absences(s["student_id"], "A", days[: n % 4])
        ],
    )


def hostile_students() -> list[dict[str, str]]:
    return [
        {"student_id": "s1", "gender": "F", "ssn": "123-45-6789", "First_Name": "Zelda",
         "Email": "zelda@example.org", "phone": "555-0100", "program": "a"},
        {"student_id": "s2", "gender": "M", "ssn": "987-65-4321", "First_Name": "Quincy",
         "Email": "", "phone": "", "program": "b"},
    ]  # fmt: skip


def written_text(out: Path) -> str:
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


@pytest.mark.slow
def test_undeclared_columns_reach_no_written_file_and_are_named_in_a_note(tmp_path):
    source = folder_of(tmp_path / "in", hostile_students())
    report = rollcall("report", "--input", str(source), "--out", str(tmp_path / "r"), "--html")
    publish = rollcall("publish", "--input", str(source), "--out", str(tmp_path / "p"), "--site")
    assert report.returncode == 0, report.stderr
    assert publish.returncode == 0, publish.stderr
    for run in (report, publish):
        (note,) = [line for line in run.stdout.splitlines() if "kept private" in line]
        assert note.startswith("Note: students.csv: kept private")
        assert "ssn, First_Name, Email, phone, program" in note
        assert "--dimensions" in note
        assert not any(secret in run.stdout + run.stderr for secret in SECRETS)
    for out in (tmp_path / "r", tmp_path / "p"):
        text = written_text(out)
        for secret in SECRETS:
            assert secret not in text
        for column in ("ssn", "First_Name", "Email", "phone", "program"):
            assert f",{column}," not in text and f'"{column}"' not in text
    dimensions = {r["dimension"] for r in read_csv(tmp_path / "r" / "summary.csv")}
    assert dimensions == {"all", "grade", "gender"}
    public = json.loads((tmp_path / "p" / "public_summary.json").read_text(encoding="utf-8"))
    assert {r["dimension"] for r in public["summary"]} == {"all", "grade", "gender"}


@pytest.mark.slow
def test_a_declared_dimension_is_counted_from_the_command_line(tmp_path):
    source = folder_of(tmp_path / "in", hostile_students())
    done = rollcall(
        "report", "--input", str(source), "--out", str(tmp_path / "r"), "--dimensions", "Program"
    )
    assert done.returncode == 0, done.stderr
    (note,) = [line for line in done.stdout.splitlines() if "kept private" in line]
    assert "program" not in note
    rows = read_csv(tmp_path / "r" / "summary.csv")
    groups = {(r["level"], r["group"]) for r in rows if r["dimension"] == "program"}
    assert groups == {(level, g) for level in ("school", "district", "total") for g in "ab"}


@pytest.mark.slow
def test_a_declared_dimension_is_counted_from_a_policy_file_and_the_api(tmp_path):
    source = folder_of(tmp_path / "in", hostile_students())
    policy = tmp_path / "p.toml"
    policy.write_text('name = "p"\nminimum_enrolled_days = 10\ndimensions = ["program"]\n')
    api.report(source, tmp_path / "a", policy=str(policy))
    api.report(source, tmp_path / "b", dimensions=["program"])
    api.report(Source(source, options=ReadOptions(dimensions=("program",))), tmp_path / "c")
    for out in ("a", "b", "c"):
        rows = read_csv(tmp_path / out / "summary.csv")
        total = {r["group"]: r["eligible_students"] for r in rows
                 if r["dimension"] == "program" and r["level"] == "total"}  # fmt: skip
        assert total == {"a": "1", "b": "1"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("column", "why"),
    [
        ("ssn", "a social security number"),
        ("First_Name", "a name"),
        ("Email", "an e-mail address"),
        ("phone", "a phone number"),
    ],
)
def test_a_declared_identifier_is_refused_naming_the_file_the_column_and_why(tmp_path, column, why):
    source = folder_of(tmp_path / "in", hostile_students())
    done = rollcall(
        "report", "--input", str(source), "--out", str(tmp_path / "r"), "--dimensions", column
    )
    assert done.returncode == 2
    assert f"students.csv, column '{column}': cannot be a reporting dimension: its name says it " \
           f"holds {why}" in done.stderr  # fmt: skip
    assert not any(secret in done.stderr + done.stdout for secret in SECRETS)
    assert not (tmp_path / "r" / "summary.csv").exists()


@pytest.mark.parametrize(
    ("values", "why"),
    [
        (["kid1@example.org", "kid2@example.org", ""], "e-mail addresses"),
        (["123-45-6789", "123456789", "x"], "social security numbers"),
        (["(555) 010-0100", "+1 555 010 0101", ""], "phone numbers"),
        (["2015-01-02", "3/4/2016", "2014-12-31"], "dates"),
        ([f"code{n}" for n in range(24)], "different for each student"),
    ],
)
@pytest.mark.slow
def test_a_dimension_whose_values_look_personal_is_refused(tmp_path, values, why):
    students = [{"student_id": f"s{n}", "code": v} for n, v in enumerate(values)]
    source = folder_of(tmp_path / "in", students)
    with pytest.raises(DimensionError) as raised:
        api.report(source, tmp_path / "r", dimensions=["code"])
    assert "column 'code': cannot be a reporting dimension: most of its values are" in str(
        raised.value
    )
    assert why in str(raised.value)
    assert not any(v and v in str(raised.value) for v in values)


def test_a_known_dimension_with_personal_values_is_refused_too(tmp_path):
    students = [{"student_id": f"s{n}", "gender": f"2015-01-{n + 1:02d}"} for n in range(3)]
    with pytest.raises(DimensionError, match=r"column 'gender'.*most of its values are dates"):
        api.report(folder_of(tmp_path / "in", students), tmp_path / "r")


@pytest.mark.slow
def test_a_group_with_many_students_and_few_values_is_not_mistaken_for_an_id(tmp_path):
    students = [{"student_id": f"s{n}", "house": "abc"[n % 3]} for n in range(30)]
    api.report(folder_of(tmp_path / "in", students), tmp_path / "r", dimensions=["house"])
    rows = read_csv(tmp_path / "r" / "summary.csv")
    assert {r["group"] for r in rows if r["dimension"] == "house"} == {"a", "b", "c"}


@pytest.mark.slow
def test_a_declared_dimension_the_input_lacks_is_said_in_a_note(tmp_path):
    source = folder_of(tmp_path / "in", hostile_students())
    result = api.report(source, tmp_path / "r", dimensions=["programme"])
    assert any("has no column 'programme', declared as a dimension" in n for n in result.notes)


@pytest.mark.parametrize(
    "column",
    ["ssn", "SSN", "Social Security", "First_Name", "first name", "FIRSTNAME", "lastName",
     "middle_name", "Name", "Email", "e-mail", "phone", "Phone Number", "address", "Street",
     "zip", "Postal_Code", "birth_date", "DOB", "entry_date", "state_id", "local_id",
     "student_number", "StudentNumber", "SSID"],
)  # fmt: skip
def test_identifier_and_personal_names_are_recognised_in_any_case(column):
    assert personal_name(column) is not None


@pytest.mark.parametrize(
    "column",
    ["gender", "race_ethnicity", "english_learner", "disability", "economically_disadvantaged",
     "foster", "homeless", "migrant", "section_504", "program", "medicaid", "candidate"],
)  # fmt: skip
def test_group_names_are_not_mistaken_for_personal_ones(column):
    assert personal_name(column) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("program", "must be a list of column names"),
        ([1], "must be a list of column names"),
        (["a;b"], "is not a column name"),
        (["Grade"], "a dimension rollcall counts already"),
        (["x", "X"], "appears twice"),
    ],
)
def test_a_policys_dimensions_are_validated(value, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_mapping(
            {"name": "p", "minimum_enrolled_days": 10, "dimensions": value}, source="p.toml"
        )


# --- every category in every unit (docs/decisions/0003-published-categories.md) --------------


def two_schools(path: Path) -> Path:
    """School A: two children, both F and English learners, grade 3. School B (same district):
    twelve children, F and M, English learners and not, race a or b, grades 4 and 5."""
    days = school_days(20)
    first = days[0].isoformat()
    students = [
        {"student_id": "a1", "gender": "F", "english_learner": "Y", "race_ethnicity": "a"},
        {"student_id": "a2", "gender": "F", "english_learner": "Y", "race_ethnicity": "a"},
    ]
    students += [
        {"student_id": f"b{n}", "gender": "FM"[n % 2], "english_learner": "YN"[n % 3 == 0],
         "race_ethnicity": "ab"[n % 4 == 0]}
        for n in range(12)
    ]  # fmt: skip
    enrollments = [
        {"student_id": s["student_id"], "school_id": s["student_id"][0].upper(),
         "grade": "3" if s["student_id"][0] == "a" else str(4 + int(s["student_id"][1:]) % 2),
         "entry_date": first}
        for s in students
    ]  # fmt: skip
    return write_canonical(
        path,
        schools=[{"school_id": "A", "district_id": "D"}, {"school_id": "B", "district_id": "D"}],
        students=students,
        enrollments=enrollments,
        calendar=calendar_rows(["A", "B"], days),
        attendance=[
            row
            for n, s in enumerate(students)
            for row in absences(s["student_id"], enrollments[n]["school_id"], days[: n % 4])
        ],
    )


@pytest.mark.slow
def test_a_school_of_two_children_lists_every_group_of_every_dimension_hidden(tmp_path):
    from test_publish_attack import recovered

    api.publish(two_schools(tmp_path / "in"), tmp_path / "p")
    rows = read_csv(tmp_path / "p" / "public_summary.csv")
    school_a = {(r["dimension"], r["group"]): r for r in rows if r["unit_id"] == "A"}
    assert set(school_a) == {
        ("all", "all"),
        ("grade", "3"), ("grade", "4"), ("grade", "5"),
        ("gender", "F"), ("gender", "M"),
        ("english_learner", "N"), ("english_learner", "Y"),
        ("race_ethnicity", "a"), ("race_ethnicity", "b"),
    }  # fmt: skip
    for row in school_a.values():  # two children: every count hidden, never a zero shown
        assert row["eligible_students"] == row["chronically_absent"] == ""
        assert row["note"] == "fewer than 11 students"
    # Every unit lists the same groups; the equity file has them all too.
    for unit in ("B", "D", "total"):
        assert {(r["dimension"], r["group"]) for r in rows if r["unit_id"] == unit} == set(school_a)
    equity = read_csv(tmp_path / "p" / "equity.csv")
    assert len([r for r in equity if r["unit_id"] == "A"]) == len(school_a) - 1
    # The zeros are hidden like any small count: the attack recovers none of them.
    assert recovered(tmp_path / "p") == []


@pytest.mark.slow
def test_the_internal_summary_lists_only_the_groups_a_unit_has(tmp_path):
    api.report(two_schools(tmp_path / "in"), tmp_path / "r")
    rows = read_csv(tmp_path / "r" / "summary.csv")
    school_a = {(r["dimension"], r["group"]) for r in rows if r["unit_id"] == "A"}
    assert ("english_learner", "N") not in school_a and ("grade", "4") not in school_a


@pytest.mark.slow
@pytest.mark.parametrize("column", ["level", "Tier", "unit_id", "group"])
def test_a_dimension_named_like_an_engine_column_is_refused_naming_it(tmp_path, column):
    students = [{"student_id": "s1", column: "x"}]
    source = folder_of(tmp_path / "in", students)
    done = rollcall(
        "report", "--input", str(source), "--out", str(tmp_path / "r"), "--dimensions", column
    )
    assert done.returncode == 2, done.stderr
    assert f"column '{column}': cannot be a reporting dimension: rollcall's tables use" in (
        done.stderr
    )


def test_every_columns_values_are_judged_on_their_own_in_one_query():
    # 30 students: a group of three values, e-mails, an id each, mostly dates, phone numbers on
    # exactly half (not most), and a column left empty.
    n = 30
    table = ibis.memtable(
        {
            "house": ["abc"[i % 3] for i in range(n)],
            "contact": [f"p{i}@example.org" for i in range(n)],
            "code": [f"X{i:03d}" for i in range(n)],
            "born": [f"2015-01-{i % 28 + 1:02d}" if i % 4 else "unknown" for i in range(n)],
            "phone": ["555-0100" if i % 2 else "none" for i in range(n)],
            "blank": [""] * n,
        }
    )
    query = values_counted(table, list(table.columns))
    assert query is not None
    found = personal(connect().rows(query), list(table.columns))
    assert found == {
        "contact": "most of its values are e-mail addresses",
        "code": "most of its values are different for each student, as an id or a name is",
        "born": "most of its values are dates",
    }
    assert values_counted(table, []) is None  # no column: no query
