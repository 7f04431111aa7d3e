"""docs/sources/aggregates.md explains every layout, code, label, refusal reason and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from rollcall.formats.aggregates import cde as aggregates_cde
from rollcall.formats.aggregates import colorado as aggregates_co
from rollcall.formats.aggregates import connecticut as aggregates_ct
from rollcall.formats.aggregates import reader as aggregates
from rollcall.formats.aggregates.generic import COLUMNS
from rollcall.formats.aggregates.published import REASONS

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "sources" / "aggregates.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", [layout.name for layout in aggregates.layouts()])
def test_every_layout_is_described(layout):
    assert f"| `{layout}` |" in PAGE


@pytest.mark.parametrize("code", sorted(aggregates_cde.CATEGORIES))
def test_every_cde_reporting_category_is_in_the_mapping_table(code):
    dimension, group, label = aggregates_cde.CATEGORIES[code]
    assert f"| `{code}` | {label} | `{dimension}` | `{group}` |" in PAGE


@pytest.mark.parametrize("label", sorted(aggregates_ct.GROUPS))
def test_every_connecticut_label_is_in_its_table(label):
    dimension, group = aggregates_ct.GROUPS[label]
    assert f"| {label} | `{dimension}` | `{group}` |" in PAGE


@pytest.mark.parametrize("label", sorted(aggregates_co.STATE_GROUPS))
def test_every_colorado_label_is_in_its_table(label):
    dimension, group = aggregates_co.STATE_GROUPS[label]
    rows = [row for row in PAGE.splitlines() if row.startswith("| ") and f"`{dimension}`" in row]
    # Grades share one row ("K, 1st … 12th"); every other label has its group beside it.
    wanted = "`K`, `1` … `12`" if dimension == "grade" else f"`{group}`"
    named = "1st … 12th" if dimension == "grade" and label != "K" else label.split()[0]
    assert any(named in row and wanted in row for row in rows), label


@pytest.mark.parametrize("reason", REASONS)
def test_every_refusal_reason_is_explained(reason):
    assert f"| `{reason}` |" in PAGE


@pytest.mark.parametrize("column", COLUMNS)
def test_every_generic_column_is_explained(column):
    assert f"| `{column}` |" in PAGE


def test_the_page_is_linked_from_the_readme():
    assert "docs/sources/aggregates.md" in (ROOT / "README.md").read_text(encoding="utf-8")
