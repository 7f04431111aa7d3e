"""The sums a reader can use against a published table, one school year at a time.

Each relation says that one cell (``total``) is the sum of others (``parts``), for the count of
eligible students and, separately, for the count of chronically absent students:

- within a unit, for each dimension: the unit's ``all`` = the sum of the dimension's groups
  (``unknown`` is a group like the others);
- across levels, for each dimension and group: a district = the sum of its schools, the total =
  the sum of the districts, and the total = the sum of all schools.

The cross-level sums are not exact: a student who moved between two schools of a district is
counted once at the district (docs/rules.md), and may be eligible there and at neither school.
Treating them as exact is what a careful reader would try first, so suppression protects
against it (docs/publish.md, "Limits").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rollcall.levels import DISTRICT, SCHOOL

ALL = ("all", "all")


@dataclass(frozen=True)
class Key:
    """What identifies a cell within a school year."""

    level: str
    unit_id: str
    dimension: str
    group: str


@dataclass(frozen=True)
class Relation:
    """``cells[total]`` = the sum of ``cells[p]`` for ``p`` in ``parts`` (indices into the
    year's cells); ``kind`` says where it comes from (``dimension``, ``district``, ``total``)."""

    total: int
    parts: tuple[int, ...]
    kind: str


def relations(keys: Sequence[Key], district_of: dict[str, str | None]) -> list[Relation]:
    """Every relation among the cells ``keys`` of one school year. ``district_of`` gives each
    school's district id (or None). A relation whose total is not published, or that has no
    parts, tells nothing and is left out."""
    index = {key: n for n, key in enumerate(keys)}
    found: list[Relation] = []
    dimensions: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for n, key in enumerate(keys):
        if key.dimension != "all":
            dimensions[(key.level, key.unit_id, key.dimension)].append(n)
    for (level, unit_id, _), parts in dimensions.items():
        total = index.get(Key(level, unit_id, *ALL))
        if total is not None:
            found.append(Relation(total, tuple(parts), "dimension"))

    by_group: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, key in enumerate(keys):
        if key.level == SCHOOL:
            district = district_of.get(key.unit_id)
            if district is not None:
                by_group[(key.dimension, key.group)][district].append(n)
            by_group[(key.dimension, key.group)]["\0schools"].append(n)
        elif key.level == DISTRICT:
            by_group[(key.dimension, key.group)]["\0districts"].append(n)
    for (dimension, group), members in by_group.items():
        for district, parts in members.items():
            if district.startswith("\0"):
                total = index.get(Key("total", "total", dimension, group))
                kind = "total"
            else:
                total = index.get(Key("district", district, dimension, group))
                kind = "district"
            if total is not None and parts:
                found.append(Relation(total, tuple(parts), kind))
    return found
