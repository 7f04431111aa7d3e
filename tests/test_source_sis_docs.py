"""The worked example of docs/sources/sis.md is true: its export and mapping, run, give the
student rows, refusals and unmapped-code error the page shows."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from command import rollcall

from rollcall import api
from rollcall.console import IN_THE_TABLE
from rollcall.formats.sources import ReadOptions, Source

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "sources" / "sis.md").read_text("utf-8")


def block_after(label: str) -> str:
    """The fenced block that follows ``label`` on the page."""
    found = re.search(re.escape(label) + r"[^\n]*\n```[a-z]*\n(.*?)```", PAGE, flags=re.DOTALL)
    assert found, label
    return found.group(1)


def write_example(folder: Path) -> Path:
    for name in ("students.csv", "enrollment.csv", "absences.csv"):
        (folder / "export").mkdir(parents=True, exist_ok=True)
        (folder / "export" / name).write_text(block_after(f"`export/{name}`"), "utf-8")
    (folder / "map.toml").write_text(block_after("`map.toml`"), "utf-8")
    return folder


@pytest.mark.slow
def test_the_worked_example_gives_the_rows_the_page_shows(tmp_path):
    folder = write_example(tmp_path)
    source = Source(folder / "export", None, ReadOptions(folder / "map.toml"))
    result = api.report(source, folder / "out", as_of=date(2024, 9, 30))
    shown = block_after("`out/student_metrics.csv` (school rows):").splitlines()
    written = (folder / "out" / "student_metrics.csv").read_text().splitlines()
    assert written[0] == shown[0]
    assert [line for line in written if ",school," in line] == shown[1:]
    rejects = (folder / "out" / "rejects.csv").read_text()
    assert rejects == block_after("`out/rejects.csv` points at the export's own file")
    assert (result.students, result.eligible, result.chronically_absent) == (3, 3, 2)
    printed = [n for n in result.notes if getattr(n, "kind", "") not in IN_THE_TABLE]
    assert printed  # every note the terminal prints is on the page
    for note in printed:
        assert f"Note: {note}" in PAGE
    # The rows the engine left out are said in the printed table of files, and in notes.csv.
    assert {getattr(n, "kind", "") for n in result.notes} - {"read"} <= {"refused", "ignored"}


def test_the_unmapped_code_error_is_the_one_the_page_shows(tmp_path):
    folder = write_example(tmp_path)
    with (folder / "export" / "absences.csv").open("a") as absences:
        absences.write("1003,20,9/19/2024,X\n1003,20,9/20/2024,X\n1002,10,9/12/2024,UA\n")
    done = rollcall(
        "report", "--input",
         "export", "--mapping", "map.toml", "--out", "out", cwd=folder,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == block_after("Had the export held codes the mapping does not list")
