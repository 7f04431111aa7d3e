"""rollcall publish on inputs other than the canonical folder: a state's published file (its
figures as published, under the disclosure rules) and a translated day-level source."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from state_files import CALIFORNIA, CO_2223
from test_publish_attack import recovered

from rollcall import api
from rollcall.formats.sources import Source

# Publishing whole state files (the attack on California's takes minutes): the full suite only.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CALIFORNIA.is_file(), reason="shared/data is not beside"),
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def california(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ca")
    api.publish(CALIFORNIA, out)
    return out


@pytest.mark.slow
def test_a_published_rate_without_its_count_is_shown_as_the_source_printed_it(california):
    # The CDE file: 2016-17, state total, girls: 3,107,922 students, rate 10.7% (no count).
    found = rows(california / "public_summary.csv")
    girls = [
        r
        for r in found
        if (r["school_year"], r["level"], r["dimension"], r["group"])
        == ("2016-17", "total", "gender", "F")
    ]
    assert girls == [
        {
            "school_year": "2016-17",
            "level": "total",
            "unit_id": "total",
            "unit_name": "California",
            "dimension": "gender",
            "group": "F",
            "eligible_students": "3107922",
            "chronically_absent": "",
            "chronic_absence_rate": "0.107",
            "note": "rate as published by the source; its count was not published",
        }
    ]


def test_a_cell_the_source_suppressed_stays_hidden_and_is_never_zero(california):
    hidden = [
        r for r in rows(california / "public_summary.csv") if r["note"] == "hidden by the source"
    ]
    assert hidden
    assert all(r["chronic_absence_rate"] == "" and r["chronically_absent"] == "" for r in hidden)


@pytest.mark.slow
def test_publishing_a_state_file_reveals_no_hidden_count(california):
    assert recovered(california) == []


def test_year_limits_a_state_files_years(tmp_path):
    if not CO_2223.is_file():
        pytest.skip("Colorado's file is not beside")
    result = api.publish(Source(CO_2223), tmp_path, year="2022-23")
    assert result.school_years == ("2022-23",)
    assert result.policy == "as published"
