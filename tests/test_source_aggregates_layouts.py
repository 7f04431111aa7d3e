"""The aggregate layouts on small hand-made files: CDE's header spellings across the years, its
levels and charter/DASS subsets, suppression, the rate check (against a brute-force reference
on random counts), bad input, and the generic CSV's round trip from the engine's own summary."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rollcall.engine import aggregate
from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute
from rollcall.errors import InputError
from rollcall.formats.aggregates import reader as aggregates
from rollcall.formats.aggregates.generic import write
from rollcall.formats.aggregates.published import Rate, parse_rate
from rollcall.formats.sources import ReadOptions, Source, choose_reader, inspect, load
from rollcall.levels import LEVELS
from rollcall.policy import get_policy

# The same figures (one state row, one district, one school, one suppressed cell) in CDE's
# header spellings of three eras: (level, county, district, school, district name, school name,
# category, eligible, chronic, rate).
FIGURES = [
    ("T", "00", "00000", "0000000", "", "", "TA", "1000", "120", "12.0"),
    ("D", "27", "65961", "0000000", "Alisal Union", "", "TA", "400", "36", "9.0"),
    ("S", "27", "65961", "6025977", "Alisal Union", "Alisal Community", "RB", "*", "*", "*"),
    ("S", "27", "65961", "6025977", "Alisal Union", "Alisal Community", "TA", "150", "12", "8.0"),
]
KEYS = ("level", "county", "district", "school", "district_name", "school_name", "category",
        "eligible", "chronic", "rate")  # fmt: skip
# Each era: its header, and what each column holds (a key of a figure, or a constant).
ERAS = {
    # 2016-17: spaced names, a per-school charter flag, cumulative enrollment as denominator.
    "2016-17": [
        ("Academic Year", "year"), ("Aggregate Level", "level"), ("County Code", "county"),
        ("District Code", "district"), ("School Code", "school"), ("County Name", "=Monterey"),
        ("District Name", "district_name"), ("School Name", "school_name"),
        ("Charter (Y/N)", "=N"), ("Reporting Category", "category"),
        ("Cumulative Enrollment", "eligible"), ("Chronic Absenteeism Count", "chronic"),
        ("Chronic Absenteeism Rate", "rate"),
    ],
    # 2017-18 and 2018-19: CamelCase, CharterYN (All/Y/N), an eligible-enrollment column.
    "2018-19": [
        ("AcademicYear", "year"), ("AggregateLevel", "level"), ("CountyCode", "county"),
        ("DistrictCode", "district"), ("SchoolCode", "school"), ("CountyName", "=Monterey"),
        ("DistrictName", "district_name"), ("SchoolName", "school_name"), ("CharterYN", "=All"),
        ("ReportingCategory", "category"), ("CumulativeEnrollment", "=9999"),
        ("ChronicAbsenteeismEligibleEnrollment", "eligible"),
        ("ChronicAbsenteeismCount", "chronic"), ("ChronicAbsenteeismRate", "rate"),
    ],
    # 2023-24 on: spaced identity names, Charter School and DASS, the long denominator name.
    "2023-24": [
        ("Academic Year", "year"), ("Aggregate Level", "level"), ("County Code", "county"),
        ("District Code", "district"), ("School Code", "school"), ("County Name", "=Monterey"),
        ("District Name", "district_name"), ("School Name", "school_name"),
        ("Charter School", "=All"), ("DASS", "=All"), ("Reporting Category", "category"),
        ("ChronicAbsenteeismEligibleCumulativeEnrollment", "eligible"),
        ("ChronicAbsenteeismCount", "chronic"), ("ChronicAbsenteeismRate", "rate"),
    ],
}  # fmt: skip


def header(era: str) -> list[str]:
    return [name for name, _ in ERAS[era]]


def row(era: str, figure: tuple[str, ...], **changes: str) -> list[str]:
    """One line of a file of ``era``: the figure's values (and constants) in its columns."""
    values = dict(zip(KEYS, figure, strict=True)) | {"year": era} | changes
    return [what[1:] if what.startswith("=") else values[what] for _, what in ERAS[era]]


def cde_file(path: Path, names: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = "\r\n".join("\t".join(line) for line in [names, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def era_file(tmp_path: Path, era: str, extra: tuple[list[str], ...] = ()) -> Path:
    body = [row(era, figure) for figure in FIGURES]
    return cde_file(tmp_path / f"chronicabsenteeism{era[-2:]}.txt", header(era), [*body, *extra])


SCHOOL = ("S", "27", "65961", "6025977", "Alisal Union", "Alisal Community", "TA", "10", "1",
          "10.0")  # fmt: skip


def table_rows(path: Path) -> list[tuple]:
    reading = aggregates.read(path)
    return sorted(
        (r["level"], r["unit_id"], r["unit_name"], r["district_id"], r["dimension"], r["group"],
         r["eligible_students"], r["chronically_absent"], r["published_rate"], r["suppressed"])
        for r in reading.rows
    )  # fmt: skip


@pytest.mark.parametrize("era", sorted(ERAS))
def test_cde_header_spellings_of_every_era_read_to_the_same_table(tmp_path, era):
    path = era_file(tmp_path, era)
    assert aggregates.find_layout(path)[0].name == "cde"
    assert table_rows(path) == [
        ("district", "65961", "Alisal Union", "65961", "all", "all", 400, 36, 0.09, False),
        ("school", "6025977", "Alisal Community", "65961", "all", "all", 150, 12, 0.08, False),
        ("school", "6025977", "Alisal Community", "65961", "race_ethnicity",
         "Black or African American", None, None, None, True),
        ("total", "total", "California", None, "all", "all", 1000, 120, 0.12, False),
    ]  # fmt: skip
    assert {r["school_year"] for r in aggregates.read(path).rows} == {era}


def test_cde_2016_17_layout_says_its_denominator_is_cumulative_enrollment(tmp_path):
    reading = aggregates.read(era_file(tmp_path, "2016-17"))
    assert reading.matched["eligible_students"] == "Cumulative Enrollment"
    assert any("2016-17 layout" in note for note in reading.notes)
    later = aggregates.read(era_file(tmp_path, "2018-19"))
    assert later.matched["eligible_students"] == "ChronicAbsenteeismEligibleEnrollment"
    assert "CumulativeEnrollment" in later.unmatched


def test_cde_keeps_the_all_row_and_counts_charter_and_dass_subsets(tmp_path):
    district = ("D", "27", "65961", "0000000", "Alisal Union", "", "TA", "400", "36", "9.0")
    names = header("2023-24")
    charter, dass = names.index("Charter School"), names.index("DASS")

    def subset(line: list[str], charter_value: str, dass_value: str) -> list[str]:
        line = list(line)
        line[charter], line[dass] = charter_value, dass_value
        return line

    rows = [
        row("2023-24", district),
        subset(row("2023-24", district, eligible="390", chronic="35"), "No", "All"),
        subset(row("2023-24", district, eligible="380", chronic="30", rate="7.9"), "All", "No"),
        # A school published only under its own status (no All row): it is the whole school.
        subset(row("2023-24", SCHOOL, eligible="150", chronic="12", rate="8.0"), "No", "No"),
        row("2023-24", district, level="C", district="00000"),
    ]
    reading = aggregates.read(cde_file(tmp_path / "f.txt", names, rows))
    assert [(r["level"], r["eligible_students"]) for r in reading.rows] == [
        ("district", 400), ("school", 150),
    ]  # fmt: skip
    assert sum(reading.skipped.values()) == 3  # two subsets, one county row
    assert reading.mapped[("Aggregate Level", "C")] == "skipped: county"


def test_cde_d2_rows_are_skipped_when_d1_rows_are_there_and_used_when_alone(tmp_path):
    district = ("D1", "27", "65961", "0000000", "Alisal Union", "", "TA", "400", "36", "9.0")
    d1 = row("2016-17", district)
    d2 = row("2016-17", district, level="D2", eligible="380", chronic="30", rate="7.9")
    both = aggregates.read(cde_file(tmp_path / "both.txt", header("2016-17"), [d1, d2]))
    assert [r["eligible_students"] for r in both.rows] == [400]
    assert sum(both.skipped.values()) == 1
    alone = aggregates.read(cde_file(tmp_path / "alone.txt", header("2016-17"), [d2]))
    assert [r["eligible_students"] for r in alone.rows] == [380]
    assert any("D2" in note for note in alone.notes)


def test_cde_file_in_windows_1252_with_accented_names_reads(tmp_path):
    line = row("2023-24", SCHOOL, school_name="Escuela Peñasco")
    path = cde_file(tmp_path / "f.txt", header("2023-24"), [line], encoding="cp1252")
    assert aggregates.read(path).rows[0]["unit_name"] == "Escuela Peñasco"


def test_an_unmapped_reporting_category_stops_the_load_listing_every_code_and_count(tmp_path):
    odd = [row("2023-24", SCHOOL, category=code) for code in ("ZZ", "ZZ", "QQ")]
    path = era_file(tmp_path, "2023-24", extra=tuple(odd))
    with pytest.raises(InputError) as error:
        aggregates.read(path)
    message = str(error.value)
    assert path.name in message and "'ZZ' (2 rows)" in message and "'QQ' (1 rows)" in message
    found = aggregates.READER.inspect(path, ReadOptions())
    assert {c.code for c in found.unmapped} == {"ZZ", "QQ"}


def test_an_unmapped_aggregate_level_stops_the_load(tmp_path):
    path = era_file(tmp_path, "2023-24", extra=(row("2023-24", SCHOOL, level="X"),))
    with pytest.raises(InputError, match="Aggregate Level 'X' \\(1 rows\\)"):
        aggregates.read(path)


def test_a_rate_that_does_not_match_its_counts_is_refused_at_its_line_and_column(tmp_path):
    # 20 of 200 is 10.0%, not 12.0%.
    wrong = row("2023-24", SCHOOL, school="6025985", eligible="200", chronic="20", rate="12.0")
    path = era_file(tmp_path, "2023-24", extra=(wrong,))
    reading = aggregates.read(path)
    assert reading.rejects == [
        {"file": path.name, "line": "6", "column": "ChronicAbsenteeismRate", "value": "12.0",
         "reason": "rate does not match counts"},
    ]  # fmt: skip
    assert not any(r["unit_id"] == "6025985" for r in reading.rows)
    loaded = load(path, connect().con)
    assert loaded.rejects == tuple(reading.rejects)
    assert any("line 6 (12.0)" in note for note in loaded.notes)


def test_a_file_whose_rates_mostly_do_not_match_is_refused_whole(tmp_path):
    rows = [row("2023-24", SCHOOL, school=f"60{n:05d}", eligible="100", chronic="10", rate="50.0")
            for n in range(12)]  # fmt: skip
    path = cde_file(tmp_path / "swapped.txt", header("2023-24"), rows)
    with pytest.raises(InputError) as error:
        aggregates.read(path)
    assert "line 2" in str(error.value) and "'ChronicAbsenteeismRate'" in str(error.value)
    assert "12 of 12 published rates do not match" in str(error.value)


@pytest.mark.parametrize(
    ("chronic", "eligible", "reason", "column"),
    [
        ("many", "100", "not a number", "ChronicAbsenteeismCount"),
        ("-3", "100", "negative count", "ChronicAbsenteeismCount"),
        ("120", "100", "more chronically absent than eligible", "ChronicAbsenteeismCount"),
        ("10", "1e2x", "not a number", "ChronicAbsenteeismEligibleCumulativeEnrollment"),
    ],
)
def test_bad_figures_are_refused_with_their_reason(tmp_path, chronic, eligible, reason, column):
    line = row("2023-24", SCHOOL, eligible=eligible, chronic=chronic, rate="")
    reading = aggregates.read(cde_file(tmp_path / "f.txt", header("2023-24"), [line]))
    assert [(r["line"], r["column"], r["reason"]) for r in reading.rejects] == [
        ("2", column, reason)
    ]
    assert not reading.rows


def test_a_row_with_too_few_values_is_refused_naming_the_first_missing_column(tmp_path):
    line = row("2023-24", SCHOOL)[:-2]
    reading = aggregates.read(cde_file(tmp_path / "f.txt", header("2023-24"), [line]))
    assert [(r["column"], r["reason"]) for r in reading.rejects] == [
        ("ChronicAbsenteeismCount", "wrong number of values")
    ]


def test_a_cde_header_without_the_year_stops_at_line_1(tmp_path):
    path = cde_file(tmp_path / "f.txt", header("2023-24")[1:], [row("2023-24", SCHOOL)[1:]])
    with pytest.raises(InputError) as error:
        aggregates.read(path)
    assert "line 1" in str(error.value) and "year" in str(error.value)


def test_the_reader_claims_only_aggregate_files(tmp_path):
    (tmp_path / "students.csv").write_text("student_id,school_id,days_present\ns1,A,170\n")
    (tmp_path / "events.xml").write_text("<InterchangeStudentAttendance/>\n")
    (tmp_path / "summary.csv").write_text(
        "school_year,level,unit_id,dimension,group,eligible_students,chronically_absent\n"
    )
    for name in ("students.csv", "events.xml", "summary.csv"):
        assert not aggregates.READER.detect(tmp_path / name)
    assert not aggregates.READER.detect(tmp_path)  # a folder
    with pytest.raises(InputError, match="not a published aggregate layout"):
        aggregates.read(tmp_path / "students.csv")


# --- the rate check against brute force ------------------------------------------------------


@given(st.integers(0, 400), st.integers(1, 400), st.integers(0, 3), st.booleans())
def test_a_rounded_rate_always_matches_the_counts_it_came_from(chronic, eligible, decimals, pct):
    if chronic > eligible:
        chronic, eligible = eligible, chronic or 1
    scale = 10**decimals * (100 if pct else 1)
    rounded = math.floor(Fraction(chronic * scale, eligible) + Fraction(1, 2))  # half up
    text = (
        str(Fraction(rounded, 10**decimals))
        if decimals == 0
        else f"{rounded / 10**decimals:.{decimals}f}"
    )
    rate = parse_rate(text, percent=pct, decimals=decimals)
    assert rate.matches(chronic, eligible)


@settings(deadline=None)
@given(st.integers(0, 30), st.integers(0, 100), st.integers(1, 2))
def test_a_rate_with_one_count_matches_when_some_whole_number_could_stand_in(n, hundredths, d):
    value = Fraction(hundredths, 100) if d == 2 else Fraction(hundredths // 10, 10)
    rate = parse_rate(f"{float(value):.{d}f}", percent=False, decimals=d)
    half = Fraction(1, 2 * 10**d)
    # Brute force: some k in 0..n for a published denominator n, ...
    by_k = any(abs(Fraction(k, n) - value) <= half for k in range(n + 1)) if n else value == 0
    if n:
        assert rate.matches(None, n) == by_k
    # ... and some m >= n for a published count n (m large enough gives rates near zero, so
    # beyond n / (value - half) nothing new can match).
    if value - half <= 0:
        by_m = True
    else:
        top = math.floor(n / (value - half)) + 1
        by_m = any(abs(Fraction(n, m) - value) <= half for m in range(max(n, 1), top + 1))
    if n == 0:
        by_m = value <= half
    assert rate.matches(n, None) == by_m


def test_rates_are_read_to_the_publishers_rounding_or_the_digits_written():
    assert parse_rate("10", percent=True, decimals=1) == Rate(100, 1000)  # R dropped the .0
    assert parse_rate("10.75", percent=True, decimals=1) == Rate(1075, 10000)
    assert parse_rate("0.3118862663435274", percent=False, decimals=3).slack == 2
    with pytest.raises(ValueError):
        parse_rate("n/a%", percent=True)


# --- the generic CSV -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_engines_summary_written_as_generic_csv_loads_back_to_the_same_table(tmp_path):
    from rollcall.synth import write_synthetic

    write_synthetic(tmp_path / "district", students=300, seed=3)
    backend = connect()
    try:
        computed = compute(backend, tmp_path / "district", policy=get_policy("attendance-works"))
        engine = aggregate.from_computed(computed)
    finally:
        backend.close()
    assert engine.num_rows > 50 and set(engine.column("level").to_pylist()) == set(LEVELS)
    path = write(engine, tmp_path / "aggregate.csv")
    assert choose_reader(Source.of(path)).kind == "aggregate"
    loaded = load(path, connect().con)
    assert loaded.aggregate is not None and loaded.aggregate.equals(engine)
    assert not loaded.rejects and not loaded.skipped


def test_generic_csv_reads_suppression_rates_and_refuses_a_rate_off_its_counts(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "school_year,level,unit_id,unit_name,dimension,group,eligible_students,"
        "chronically_absent,chronic_absence_rate\n"
        "2024-2025,district,D1,Riverside,all,all,400,36,0.09\n"
        "2024-25,school,A,Adams,all,all,*,*,\n"
        "2024-25,school,B,Baker,all,all,8,,\n"
        "2024-25,school,C,Cedar,all,all,100,10,0.2\n"
        "2024-25,school,D,Dale,all,all,100,10,\n"
        "24-25,school,E,Elm,all,all,100,10,\n"
    )
    reading = aggregates.read(path)
    rows = {r["unit_id"]: r for r in reading.rows}
    assert rows["D1"]["school_year"] == "2024-25" and rows["D1"]["published_rate"] == 0.09
    assert (rows["A"]["eligible_students"], rows["A"]["suppressed"]) == (None, True)
    assert (rows["B"]["eligible_students"], rows["B"]["suppressed"]) == (8, False)
    assert [(r["line"], r["column"], r["reason"]) for r in reading.rejects] == [
        ("5", "chronic_absence_rate", "rate does not match counts"),
        ("7", "school_year", "not a school year"),
    ]


def test_generic_csv_with_an_unknown_level_stops_naming_it(tmp_path):
    path = tmp_path / "network.csv"
    path.write_text(
        "school_year,level,unit_id,unit_name,dimension,group,eligible_students,chronically_absent\n"
        "2024-25,county,M,Monterey,all,all,400,36\n"
    )
    with pytest.raises(InputError, match="level 'county' \\(1 rows\\)"):
        aggregates.read(path)


def test_writing_a_table_that_is_not_an_aggregate_table_is_refused(tmp_path):
    from rollcall.errors import OptionError

    with pytest.raises(OptionError):
        write(pa.table({"x": [1]}), tmp_path / "x.csv")


def test_inspect_lists_layout_codes_suppression_and_what_the_layout_lacks(tmp_path):
    path = era_file(tmp_path, "2023-24")
    found = inspect(path)
    assert found.kind == "aggregate" and found.grain == "aggregate"
    assert "cde" in found.files[0].role and found.files[0].rows == 4
    codes = {(c.column, c.code): (c.count, c.mapped_to) for c in found.codes}
    assert codes[("Reporting Category", "RB")] == (1, "race_ethnicity: Black or African American")
    assert codes[("Aggregate Level", "S")] == (2, "school")
    text = " ".join(found.notes)
    assert "School years: 2023-24" in text and "1 suppressed by the publisher" in text
    assert "Rates checked against counts: 3; not matching: 0" in text
