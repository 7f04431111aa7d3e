"""Which published counts are hidden, and why: the rules of docs/publish.md, in order.

1. **Source**: a cell the source already suppressed stays hidden (``hidden by the source``).
2. **Primary**: a group with fewer than ``minimum_students`` eligible students is hidden.
3. **Numerator** (when set): fewer than ``minimum_chronic`` chronically absent students hides
   that count and the rate.
4. **Extreme values**: a count within ``extreme_count`` of none or of all is withheld and the
   rate shown as a range.
5. **Complementary**: in every sum of ``relations.py`` where exactly one count is hidden, the
   next smallest group's count is hidden too; then the publisher's own attack (``audit.py``)
   looks for any hidden count a reader can still work out from the sums and the rules, and one
   more count is hidden in the sum that gave it away, until the attack recovers nothing.

Each school year is suppressed on its own: the years share no sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from rollcall.publish.audit import (
    COMPLEMENTARY,
    NUMERATOR,
    PRIMARY,
    RANGE,
    SOURCE,
    Cell,
    Finding,
    attack,
    bounds,
)
from rollcall.publish.relations import Key, Relation, relations
from rollcall.publish.rules import NOTE_COMPLEMENTARY, NOTE_RANGE, NOTE_SOURCE, Rules

ELIGIBLE, CHRONIC = "eligible", "chronic"


def first_rules(cell: Cell, rules: Rules, *, suppressed: bool) -> None:
    """Apply the source, primary, numerator and extreme-value rules to one cell."""
    n, c = cell.eligible, cell.chronic
    if suppressed or n is None:
        cell.hide_eligible(SOURCE)
    elif n < rules.minimum_students:
        cell.hide_eligible(PRIMARY)
    elif c is None:
        cell.hide_chronic(SOURCE)
    elif rules.minimum_chronic and c < rules.minimum_chronic:
        cell.hide_chronic(NUMERATOR)
    elif rules.extreme(n, c) is not None:
        cell.hide_chronic(RANGE)


def suppress(
    keys: Sequence[Key],
    cells: Sequence[Cell],
    district_of: dict[str, str | None],
    rules: Rules,
) -> None:
    """Complementary suppression of one school year's cells (after ``first_rules``), in place:
    on return no hidden count can be recovered by ``audit.attack``."""
    sums = relations(keys, district_of)
    member_of: dict[int, list[int]] = defaultdict(list)
    for r, relation in enumerate(sums):
        for k in (relation.total, *relation.parts):
            member_of[k].append(r)
    # Hiding a unit's ``all`` row costs most; then the more students, the more it costs.
    cost = [
        (key.dimension == "all", cell.eligible or 0) for key, cell in zip(keys, cells, strict=True)
    ]
    while True:
        _no_lone_hidden(cells, cost, sums)
        findings = attack(cells, sums, rules, keys)
        if not findings:
            return
        _hide_more(findings, cells, cost, sums, member_of, rules)


def _hidden(cell: Cell, count: str) -> bool:
    return (cell.eligible_hidden if count == ELIGIBLE else cell.chronic_hidden) is not None


def _hide(cell: Cell, count: str) -> None:
    if count == ELIGIBLE:
        cell.hide_eligible(COMPLEMENTARY)
    else:
        cell.hide_chronic(COMPLEMENTARY)


Cost = tuple[bool, int]


def _candidate(
    cells: Sequence[Cell], cost: Sequence[Cost], relation: Relation, count: str
) -> tuple[Cost, bool, int] | None:
    """The member of ``relation`` to hide next for ``count``, with what hiding it costs: the
    shown part that costs least (a group before a unit's ``all`` row, then the fewest
    students, then the first), or the total when every part is hidden."""
    shown = [p for p in relation.parts if not _hidden(cells[p], count)]
    if shown:
        pick = min(shown, key=lambda p: (cost[p], p))
        return cost[pick], False, pick
    if not _hidden(cells[relation.total], count):
        return cost[relation.total], True, relation.total
    return None


def _no_lone_hidden(cells: Sequence[Cell], cost: Sequence[Cost], sums: Sequence[Relation]) -> None:
    """Until no sum has exactly one hidden count (it would be the total minus the others)."""
    changed = True
    while changed:
        changed = False
        for relation in sums:
            members = (relation.total, *relation.parts)
            for count in (ELIGIBLE, CHRONIC):
                if sum(_hidden(cells[k], count) for k in members) == 1:
                    found = _candidate(cells, cost, relation, count)
                    if found is not None:
                        _hide(cells[found[2]], count)
                        changed = True


def _hide_more(
    findings: Sequence[Finding],
    cells: Sequence[Cell],
    cost: Sequence[Cost],
    sums: Sequence[Relation],
    member_of: dict[int, list[int]],
    rules: Rules,
) -> None:
    """Hide one more count for each recovered count (at most one per sum in a round): the
    cheapest of the counts in the sums the recovered cell is in (``_options``)."""
    used: set[int] = set()
    acted = False
    for finding in findings:
        cell = cells[finding.cell]
        own_low, own_high = bounds(cell, rules)[1]
        if finding.count == CHRONIC and cell.eligible_hidden is None and own_low == own_high:
            # The row itself tells the count (its size and what the rules leave possible).
            cell.hide_eligible(COMPLEMENTARY)
            acted = True
            continue
        order = [finding.relation] if finding.relation is not None else []
        order += [r for r in member_of.get(finding.cell, []) if r != finding.relation]
        if order[:1] and order[0] in used:
            continue
        options = list(_options(cells, cost, sums, order, finding.count))
        if options:  # else what was hidden for an earlier finding this round may do
            _, member, count, r = min(options)
            _hide(cells[member], count)
            used.add(r)
            acted = True
    if not acted:
        raise AssertionError(f"no count left to hide to protect cell {findings[0].cell}")


def _options(
    cells: Sequence[Cell],
    cost: Sequence[Cost],
    sums: Sequence[Relation],
    order: Sequence[int],
    count: str,
) -> Iterator[tuple[tuple[bool, int, int, int, int], int, str, int]]:
    """What could be hidden to protect a recovered ``count``, each with its cost: a group's
    count before a unit's ``all`` row; the sum that gave the count away before the others the
    cell is in; in a sum, a shown ``count`` of a group (cheapest), then the count of students of
    a group whose chronically absent count is hidden (so that the rules tell less about it);
    fewer students first."""
    for rank, r in enumerate(order):
        relation = sums[r]
        for member in (*relation.parts, relation.total):
            whole, students = cost[member]
            if not _hidden(cells[member], count):
                level = 1 if count == ELIGIBLE else 0
                yield (whole, rank, level, students, member), member, count, r
            elif count == CHRONIC and not _hidden(cells[member], ELIGIBLE):
                yield (whole, rank, 2, students, member), member, ELIGIBLE, r


def note(cell: Cell, rules: Rules) -> str:
    """Why a cell's counts are hidden, for the ``note`` column (empty when nothing is)."""
    reason = cell.eligible_hidden or cell.chronic_hidden
    return {
        None: "",
        SOURCE: NOTE_SOURCE,
        PRIMARY: rules.primary_note,
        NUMERATOR: rules.numerator_note,
        RANGE: NOTE_RANGE,
        COMPLEMENTARY: NOTE_COMPLEMENTARY,
    }[reason]


def shown_range(cell: Cell, rules: Rules) -> str | None:
    """The range shown for the rate (``≤5%``), when the extreme-value rule applies."""
    if cell.chronic_hidden != RANGE or cell.eligible_hidden is not None:
        return None
    assert cell.eligible is not None and cell.chronic is not None
    return rules.extreme(cell.eligible, cell.chronic)
