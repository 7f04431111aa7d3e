"""Where the shared real data is (shared/data beside the repository or a worktree above it), and
the states' published files in it (see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest


def shared_data() -> Path:
    """The nearest ``shared/data`` folder above the tests (the repository may be a worktree)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return here.parents[1].parent / "shared" / "data"


STATE_PUBLIC = shared_data() / "state-public"
CALIFORNIA = STATE_PUBLIC / "california_monterey_chronic1617-1718.csv"
CT_RAW_1819 = STATE_PUBLIC / "connecticut_raw_2018-19_race.csv"
CT_RAW_1920 = STATE_PUBLIC / "connecticut_raw_2019-20_race.csv"
CT_LONG = STATE_PUBLIC / "connecticut_chronic_absenteeism_by_race_2012-2020.csv"
CO_2122 = STATE_PUBLIC / "colorado_2021-2022_ChronicAbsenteeism.xlsx"
CO_2223 = STATE_PUBLIC / "colorado_2022-2023_ChronicAbsenteeism.xlsx"
CO_STATE = STATE_PUBLIC / "colorado_2022-2023_State_ChronicAbsenteeism.xlsx"
ALL_FILES = (CALIFORNIA, CT_RAW_1819, CT_RAW_1920, CT_LONG, CO_2122, CO_2223, CO_STATE)


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (see ../shared/data/README.md)")
