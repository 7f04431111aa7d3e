"""Several school years from one read of the input (engine/pipeline.py ``read``): every year's
tables equal those of a run of its own, as the report's last year, the Dashboard indicator and
the early warning's training year need."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rollcall.engine.backend import connect
from rollcall.engine.pipeline import compute, compute_years, read
from rollcall.engine.results import Computed
from rollcall.output import rejects, student_metrics, summary
from rollcall.policy import get_policy
from rollcall.synth import write_synthetic

POLICY = get_policy("attendance-works")


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A messy synthetic district over three school years (bad rows in every file)."""
    folder = tmp_path_factory.mktemp("three-years")
    write_synthetic(folder, students=400, seed=7, years=3, messy=True)
    return folder


def tables(computed: Computed) -> dict[str, object]:
    """Everything a run hands on, as plain sorted rows."""
    ibis = computed.backend.ibis

    def rows(expr: object) -> list[tuple[object, ...]]:
        return sorted((tuple(r.values()) for r in ibis.to_pyarrow(expr).to_pylist()), key=repr)

    return {
        "period": computed.period,
        "student_metrics": rows(student_metrics(computed)),
        "summary": rows(summary(computed)),
        "rejects": sorted(tuple(r.values()) for r in rejects(computed)),
        "counts": computed.counts,
        "notes": computed.notes,
    }


def alone(folder: Path, year: str, *, as_of: date | None = None, policy=POLICY) -> dict:
    backend = connect()
    try:
        return tables(compute(backend, folder, policy=policy, year=year, as_of=as_of))
    finally:
        backend.close()


def test_each_year_of_one_read_equals_a_run_of_its_own(three_years: Path) -> None:
    years = ["2023-24", "2024-25", "2025-26"]
    backend = connect()
    try:
        together = [
            tables(c) for c in compute_years(backend, three_years, policy=POLICY, years=years)
        ]
    finally:
        backend.close()
    for year, found in zip(years, together, strict=True):
        expected = alone(three_years, year)
        assert found == expected, year
        assert found["student_metrics"], year  # every year has students


def test_years_policies_and_dates_mix_in_any_order_on_one_read(three_years: Path) -> None:
    """The early warning asks for a year as of a date, then whole years; publishing asks for
    another policy's last two years: each from the same read."""
    dashboard = get_policy("california-dashboard")
    asks = [
        ("2025-26", date(2025, 10, 1), POLICY),
        ("2024-25", None, POLICY),
        ("2024-25", date(2024, 10, 1), POLICY),
        ("2025-26", None, dashboard),
        ("2024-25", None, dashboard),
    ]
    backend = connect()
    try:
        found = read(backend, three_years)
        together = [tables(found.year(policy=p, year=y, as_of=d)) for y, d, p in asks]
    finally:
        backend.close()
    for (year, as_of, policy), result in zip(asks, together, strict=True):
        assert result == alone(three_years, year, as_of=as_of, policy=policy), (year, as_of)


def test_the_last_year_frees_the_raw_attendance_so_no_year_may_follow(three_years: Path) -> None:
    backend = connect()
    try:
        found = read(backend, three_years)
        found.year(policy=POLICY, year="2025-26", last=True)
        with pytest.raises(ValueError, match="freed"):
            found.year(policy=POLICY, year="2024-25")
    finally:
        backend.close()


def test_a_report_with_last_year_and_a_dashboard_read_the_input_once(
    three_years: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rollcall import api
    from rollcall.engine import backend, reading

    reads: list[object] = []
    real = backend.load

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    # Every backend reads through rollcall.formats' load: Backend.load, or on a thread of its
    # own while the engine's modules load (engine/reading.py).
    monkeypatch.setattr(backend, "load", counted)
    monkeypatch.setattr(reading, "load", counted)
    done = api.report(three_years, tmp_path / "report", html=True)
    assert done.html is not None
    assert "2024-25" in done.html.read_text(encoding="utf-8")  # last year's months are shown
    assert len(reads) == 1
    api.publish(three_years, tmp_path / "publish", ca_dashboard=True)
    assert len(reads) == 2
