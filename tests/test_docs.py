"""Every command, policy, output column and refusal reason is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.cli import cli
from rollcall.engine.checks import REASONS
from rollcall.output import REJECT_COLUMNS, STUDENT_COLUMNS, SUMMARY_COLUMNS
from rollcall.policy import POLICIES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
OUTPUT = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command):
    assert f"rollcall {command}" in README


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_policy_is_explained(name):
    assert f"`{name}`" in RULES


@pytest.mark.parametrize(
    "column", sorted(set(STUDENT_COLUMNS) | set(SUMMARY_COLUMNS) | set(REJECT_COLUMNS))
)
def test_every_output_column_is_explained(column):
    assert f"| `{column}` |" in OUTPUT


@pytest.mark.parametrize("reason", REASONS)
def test_every_refusal_reason_is_explained(reason):
    assert f"`{reason}`" in RULES


def test_every_docs_page_is_linked_from_the_readme():
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in README, page.name


SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")


def test_every_source_kind_is_explained():
    from rollcall.formats.sources import READERS

    for kind in READERS:
        assert f"| `{kind}` |" in SOURCES, kind


def test_every_source_page_is_linked_from_the_inputs_page():
    for page in (ROOT / "docs" / "sources").glob("*.md"):
        assert f"sources/{page.name}" in SOURCES, page.name
