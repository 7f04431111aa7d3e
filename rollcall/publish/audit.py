"""The publisher's own attack on a suppressed table: what a reader who knows the rules can work
out about each hidden count, by propagating whole-number bounds through the sums.

Every hidden count starts with the bounds its row's note and the rules give (``bounds``); the
sums of ``relations.py`` (for both counts) and "chronically absent ≤ eligible" then narrow them,
again and again, until nothing moves. A hidden count whose lower and upper bounds meet is
recovered: suppression (``suppression.py``) hides more until none is.

The sums across levels are not exact (``relations.py``); when one contradicts the bounds (an
empty interval), a reader learns that it does not hold, so it is dropped and the propagation
starts over without it. tests/test_publish_attack.py attacks the written files independently.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rollcall.publish.relations import Relation
from rollcall.publish.rules import Rules

INF = math.inf

# How a count is hidden: by the source, or by one of the rules (``suppression.py``).
SOURCE, PRIMARY, NUMERATOR, RANGE, COMPLEMENTARY = (
    "source",
    "primary",
    "numerator",
    "range",
    "complementary",
)


@dataclass
class Cell:
    """One published cell's counts and, for each, why it is hidden (None: shown)."""

    eligible: int | None
    chronic: int | None
    eligible_hidden: str | None = None
    chronic_hidden: str | None = None

    def hide_eligible(self, reason: str) -> None:
        """Hide the count of students; the count of chronically absent goes with it."""
        self.eligible_hidden = reason
        self.chronic_hidden = reason

    def hide_chronic(self, reason: str) -> None:
        self.chronic_hidden = reason


Bounds = tuple[float, float]


def bounds(cell: Cell, rules: Rules) -> tuple[Bounds, Bounds]:
    """What the published row and the rules tell about the cell's two counts, as (low, high)
    for eligible and for chronically absent (shown counts are exact)."""
    n, c = cell.eligible, cell.chronic
    if cell.eligible_hidden is None:
        assert n is not None
        eligible: Bounds = (n, n)
    elif cell.eligible_hidden == PRIMARY:
        eligible = (0, rules.minimum_students - 1)
    elif cell.eligible_hidden == SOURCE:
        eligible = (0, INF)
    else:  # complementary: the group passed the primary rule
        eligible = (rules.minimum_students, INF)
    if cell.chronic_hidden is None:
        assert c is not None
        return eligible, (c, c)
    if cell.eligible_hidden is not None or cell.chronic_hidden == SOURCE:
        return eligible, (0, eligible[1])
    assert n is not None and c is not None
    if cell.chronic_hidden == NUMERATOR:
        return eligible, (0, rules.minimum_chronic - 1)
    extreme = rules.extreme_count(n) if rules.extreme_percent else 0
    if cell.chronic_hidden == RANGE:
        if c >= n - extreme:
            return eligible, (max(n - extreme, rules.minimum_chronic), n)
        return eligible, (0, extreme)
    # Complementary, the count of students shown: the count passed the numerator rule and
    # is not extreme (it would show a range).
    low = extreme + 1 if rules.low_ranges else rules.minimum_chronic
    high = n - extreme - 1 if rules.extreme_percent else n
    return eligible, (low, high)


@dataclass(frozen=True)
class Finding:
    """A hidden count the attack recovers: cell index, which count, value, and the relation
    (index into the relations) that last narrowed it, or None."""

    cell: int
    count: str
    value: float
    relation: int | None


def attack(cells: Sequence[Cell], relations: Sequence[Relation], rules: Rules) -> list[Finding]:
    """Every hidden count a reader of the published cells can recover."""
    dropped: set[int] = set()
    while True:
        outcome = _propagate(cells, relations, rules, dropped)
        if isinstance(outcome, int):
            dropped.add(outcome)
            continue
        return outcome


def _propagate(
    cells: Sequence[Cell], relations: Sequence[Relation], rules: Rules, dropped: set[int]
) -> list[Finding] | int:
    """Narrow the bounds to a fixpoint; the findings, or the index of a contradicted relation."""
    # Variable 2k is cell k's count of students, 2k + 1 its count of chronically absent.
    low: list[float] = []
    high: list[float] = []
    hidden: list[bool] = []
    for cell in cells:
        for (lo, hi), shown in zip(
            bounds(cell, rules),
            (cell.eligible_hidden is None, cell.chronic_hidden is None),
            strict=True,
        ):
            low.append(lo)
            high.append(hi)
            hidden.append(not shown)
    # Constraint r (< 2·len(relations)) is relation r // 2 for count r % 2; then one
    # "chronically absent ≤ eligible" per cell with a hidden count.
    sums = [
        (rel.total, rel.parts, count, r)
        for r, rel in enumerate(relations)
        if r not in dropped
        for count in (0, 1)
    ]
    watch: dict[int, list[int]] = {}
    for s, (total, parts, count, _) in enumerate(sums):
        for member in (total, *parts):
            if hidden[2 * member + count]:
                watch.setdefault(2 * member + count, []).append(s)
    pairs = [k for k in range(len(cells)) if hidden[2 * k] or hidden[2 * k + 1]]
    origin: list[int | None] = [None] * len(low)
    queue = list(range(len(sums))) + [len(sums) + k for k in pairs]
    queued = set(queue)
    # Sums that do not hold exactly can push bounds round a cycle without end; a sum still
    # moving bounds after this many steps is treated as contradicted.
    budget = 50 * len(low) + 10_000

    def narrow(var: int, lo: float, hi: float, source: int | None) -> bool | None:
        """Apply new bounds; None when the interval is empty."""
        new_lo, new_hi = max(low[var], lo), min(high[var], hi)
        if new_lo > new_hi:
            return None
        if (new_lo, new_hi) == (low[var], high[var]):
            return False
        low[var], high[var] = new_lo, new_hi
        if source is not None:
            origin[var] = source
        for s in watch.get(var, ()):
            if s not in queued:
                queued.add(s)
                queue.append(s)
        pair = len(sums) + var // 2
        if pair not in queued:
            queued.add(pair)
            queue.append(pair)
        return True

    while queue:
        s = queue.pop()
        queued.discard(s)
        if s >= len(sums):
            k = s - len(sums)
            ok = narrow(2 * k + 1, 0, high[2 * k], None) is not None and (
                narrow(2 * k, low[2 * k + 1], INF, None) is not None
            )
            if not ok:
                # A contradiction met here came through a sum: drop the one that last moved.
                culprit = origin[2 * k + 1] if origin[2 * k + 1] is not None else origin[2 * k]
                if culprit is None:
                    raise AssertionError("a cell's own bounds contradict each other")
                return sums[culprit][3]
            continue
        total, parts, count, r = sums[s]
        for var, lo, hi in _sum_bounds(total, parts, count, low, high, hidden):
            moved = narrow(var, lo, hi, s)
            if moved is None:
                return r
            budget -= moved
            if budget < 0:
                return r
    return [
        Finding(var // 2, ("eligible", "chronic")[var % 2], low[var], _relation(origin[var], sums))
        for var in range(len(low))
        if hidden[var] and low[var] == high[var]
    ]


def _relation(
    constraint: int | None, sums: list[tuple[int, tuple[int, ...], int, int]]
) -> int | None:
    return None if constraint is None else sums[constraint][3]


def _sum_bounds(
    total: int,
    parts: tuple[int, ...],
    count: int,
    low: list[float],
    high: list[float],
    hidden: list[bool],
) -> list[tuple[int, float, float]]:
    """For ``total = Σ parts``: the bounds each hidden member's count must lie in, given the
    others' bounds."""
    t = 2 * total + count
    members = [2 * p + count for p in parts]
    # Sum of the parts' lows and highs; highs may be infinite (count how many are).
    sum_low = sum(low[v] for v in members)
    finite_high = [high[v] for v in members if high[v] != INF]
    infinite = len(members) - len(finite_high)
    sum_high = sum(finite_high)
    result = []
    if hidden[t]:
        result.append((t, sum_low, sum_high if not infinite else INF))
    for v in members:
        if not hidden[v]:
            continue
        rest_low = sum_low - low[v]
        others_infinite = infinite - (high[v] == INF)
        rest_high = INF if others_infinite else sum_high - (high[v] if high[v] != INF else 0)
        lo = low[t] - rest_high if rest_high != INF else -INF
        hi = high[t] - rest_low
        result.append((v, lo, hi))
    return result
