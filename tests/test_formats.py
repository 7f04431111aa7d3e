"""Reading and writing CSV and Parquet: the same numbers either way."""

from __future__ import annotations

import pyarrow.csv as pv
import pyarrow.parquet as pq
import pytest
from canonical import write_canonical
from outputs import absences, calendar_rows, read_csv, run, school_days

from rollcall import api
from rollcall.errors import InputError
from rollcall.formats.canonical.format import may_hold_breaks

DAYS = school_days(30)


def folder_with_data(folder):
    return write_canonical(
        folder,
        schools=[{"school_id": "A", "school_name": "Adams, Elementary"}],
        students=[
            {"student_id": "s1", "race_ethnicity": "Asian", "birth_date": "2015-01-01"},
            {"student_id": "s2", "race_ethnicity": "", "birth_date": "2015-01-02"},
        ],
        enrollments=[
            {
                "student_id": s,
                "school_id": "A",
                "grade": "KG",
                "entry_date": DAYS[0].isoformat(),
                "exit_date": "",
            }
            for s in ("s1", "s2")
        ],
        calendar=calendar_rows("A", DAYS),
        attendance=absences("s1", "A", DAYS[:4]) + absences("s2", "A", DAYS[:1], "excused", ".5"),
    )


@pytest.mark.slow
def test_parquet_input_gives_the_same_tables_as_csv(tmp_path):
    csv_folder = folder_with_data(tmp_path / "csv")
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    for path in csv_folder.glob("*.csv"):
        table = pv.read_csv(
            path,
            convert_options=pv.ConvertOptions(
                strings_can_be_null=False, column_types={}, auto_dict_encode=False
            ),
        )
        table = table.cast(__import__("pyarrow").schema([(f.name, "string") for f in table.schema]))
        pq.write_table(table, parquet_folder / f"{path.stem}.parquet")
    from_csv, from_parquet = run(csv_folder), run(parquet_folder)
    assert from_csv.students == from_parquet.students
    assert from_csv.summary == from_parquet.summary


@pytest.mark.slow
def test_parquet_output_holds_the_same_rows(tmp_path):
    folder = folder_with_data(tmp_path / "in")
    api.report(folder, tmp_path / "csv")
    api.report(folder, tmp_path / "pq", output_format="parquet")
    as_csv = read_csv(tmp_path / "csv" / "student_metrics.csv")
    as_parquet = pq.read_table(tmp_path / "pq" / "student_metrics.parquet").to_pylist()
    assert [{k: v or "" for k, v in row.items()} for row in as_parquet] == as_csv
    assert (tmp_path / "pq" / "rejects.parquet").is_file()


@pytest.mark.slow
def test_personal_columns_are_never_a_dimension(tmp_path):
    out = run(folder_with_data(tmp_path))
    assert {row["dimension"] for row in out.summary} == {"all", "grade", "race_ethnicity"}
    assert out.group("total", "total", "race_ethnicity", "unknown")["eligible_students"] == "1"


@pytest.mark.slow
def test_schools_without_a_district_column_are_one_district(tmp_path):
    out = run(folder_with_data(tmp_path))
    assert out.student("district", "district", "s1")["days_absent"] == "4"
    assert out.student("school", "A", "s2")["days_absent"] == "0.5"


def test_mixed_csv_and_parquet_folder_is_refused(tmp_path):
    folder = folder_with_data(tmp_path)
    (folder / "students.csv").rename(folder / "students.parquet")
    with pytest.raises(InputError, match=r"mixes \.csv and \.parquet"):
        api.report(folder, tmp_path / "out")


def test_output_format_must_be_csv_or_parquet(tmp_path):
    with pytest.raises(Exception, match="not one of csv, parquet"):
        api.report(folder_with_data(tmp_path), tmp_path / "out", output_format="xlsx")


@pytest.mark.slow
def test_values_are_trimmed_of_tabs_and_spaces_but_not_inside(tmp_path):
    folder = write_canonical(
        tmp_path,
        schools="school_id,school_name\n\tA ,Adams\tElementary\n",
        students='student_id,program\n"\ts1 ",a\tb\n',
        enrollments="student_id,school_id,grade,entry_date\ns1,A, 05\t,2024-08-26\n",
        calendar=calendar_rows("A", DAYS),
        attendance="student_id,school_id,date,status\ns1,A,\t2024-08-26,\tExcused\t\n",
    )
    out = run(folder, dimensions=["program"])  # no known dimension: declared to be counted
    assert out.rejects == []
    row = out.student("school", "A", "s1")
    assert (row["grade"], row["days_absent"]) == ("5", "1")
    assert out.group("school", "A", "program", "a\tb")["eligible_students"] == "1"


@pytest.mark.slow
def test_spaces_are_trimmed_in_files_where_no_value_can_hold_a_tab_or_a_line_break(tmp_path):
    # No tab, carriage return or quote in any file: spaces are trimmed by the cheaper trim
    # (format.py, may_hold_breaks), with the same result as the full one.
    folder = write_canonical(
        tmp_path,
        schools="school_id,school_name\n A ,Adams  Elementary\n",
        students="student_id,program\n  s1 , a  b \n",
        enrollments="student_id,school_id,grade,entry_date\ns1,A, 05 ,2024-08-26\n",
        calendar=calendar_rows("A", DAYS),
        attendance="student_id,school_id,date,status\ns1 ,A, 2024-08-26 , Excused \n",
    )
    assert not any(may_hold_breaks(path) for path in folder.glob("*.csv"))
    out = run(folder, dimensions=["program"])
    assert out.rejects == []
    row = out.student("school", "A", "s1")
    assert (row["grade"], row["days_absent"]) == ("5", "1")
    assert out.group("school", "A", "program", "a  b")["eligible_students"] == "1"
    (tmp_path / "other.csv").write_text('a,"b"\n')
    assert may_hold_breaks(tmp_path / "other.csv")
    (tmp_path / "other.csv").write_bytes("a\tb".encode("utf-16"))
    assert may_hold_breaks(tmp_path / "other.csv")


@pytest.mark.slow
def test_one_column_file_row_with_only_an_extra_value_is_refused_not_skipped(tmp_path):
    # Blank lines of a one-column file are no records, but ",extra" is a record with a value
    # beyond the header (found by the property test against the reference).
    folder = write_canonical(
        tmp_path / "in",
        schools="school_id\nA\n",
        students="student_id\ns1\n\n,extra\ns2\n",
        enrollments="student_id,school_id,grade,entry_date\ns1,A,3,2024-09-02\n",
        calendar="school_id,date\nA,2024-09-02\n",
    )
    assert run(folder).rejects == [
        {
            "file": "students.csv",
            "line": "4",
            "column": "extra_values",
            "value": "extra",
            "reason": "too many values",
        }
    ]


@pytest.mark.slow
def test_parquet_rejects_are_counted_for_their_file(tmp_path):
    folder = folder_with_data(tmp_path / "csv")
    (folder / "attendance.csv").write_text(
        "student_id,school_id,date,status\ns1,A,2024-01-01,vacation\n"
    )
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for path in folder.glob("*.csv"):
        table = pv.read_csv(path)
        table = table.cast(__import__("pyarrow").schema([(f.name, "string") for f in table.schema]))
        pq.write_table(table, parquet / f"{path.stem}.parquet")
    result = run(parquet).result
    assert result.counts["attendance.parquet"].rejected == 1


@pytest.mark.slow
def test_one_column_file_line_with_only_a_comma_is_a_record_with_a_missing_value(tmp_path):
    # "," holds an empty value (and an empty trailing field): a record, not a blank line; found
    # by the property test against the reference.
    folder = write_canonical(
        tmp_path / "in",
        schools="school_id\nA\n",
        students="student_id\r\ns1\r\n\r\n,\r\ns2\r\n",
        enrollments="student_id,school_id,grade,entry_date\ns1,A,3,2024-09-02\n",
        calendar="school_id,date\nA,2024-09-02\n",
    )
    assert run(folder).rejects == [
        {
            "file": "students.csv",
            "line": "4",
            "column": "student_id",
            "value": "",
            "reason": "missing value",
        }
    ]
