"""The publisher's own attack on a suppressed table: what a reader who knows the rules can work
out about each hidden count, by propagating whole-number bounds through the sums.

Every hidden count starts with the bounds its row's note and the rules give (``bounds``). The
bounds are then narrowed, until nothing moves, through "chronically absent ≤ eligible" and the
sums of ``relations.py`` (each for both counts; a sum of shown counts only tells nothing):

1. the sums within each unit (``all`` = a dimension's groups), which hold exactly;
2. each sum across levels (a district = its schools, the total = the districts, the total = the
   schools), tried alone on top of step 1. Those sums are not exact (a student who moved is
   counted once at the district), and one that contradicts step 1 cannot be exact: a reader
   sets it aside;
3. the kept sums of one group (all levels), of one unit, and all of them, each set together,
   wherever its sums agree with each other.

A hidden count whose bounds meet in any of these is recovered. Suppression (``suppression.py``)
hides more until the attack finds nothing. None of it depends on the order in which bounds are
narrowed, so tests/test_publish_attack.py, written apart from this module and reading only the
published files, reaches the same conclusions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rollcall.publish.relations import Key, Relation
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
    # Ranges apply to groups of at most ``ranges_up_to`` students only (rules.py): a larger
    # group's hidden count tells nothing of being extreme or not.
    ranged = rules.ranged(n)
    extreme = rules.extreme_count(n) if ranged else 0
    if cell.chronic_hidden == RANGE:
        if c >= n - extreme:
            return eligible, (max(n - extreme, rules.minimum_chronic), n)
        return eligible, (0, extreme)
    # Complementary, the count of students shown: the count passed the numerator rule and
    # is not extreme (it would show a range).
    low = extreme + 1 if ranged and rules.low_ranges else rules.minimum_chronic
    high = n - extreme - 1 if ranged else n
    return eligible, (low, high)


@dataclass(frozen=True)
class Finding:
    """A hidden count the attack recovers (or that sits in a contradicting sum): cell index,
    which count (``eligible`` or ``chronic``), and the relation (index into the relations)
    that last narrowed it or that contradicted, when known."""

    cell: int
    count: str
    relation: int | None


COUNTS = ("eligible", "chronic")
STEPS_PER_COUNT = 50


class _Attack:
    """Bounds on every count (variable 2k: cell k's eligible, 2k + 1: its chronically absent)
    and the constraints on them: sums (one per relation and count) and one "chronically absent
    ≤ eligible" per cell."""

    def __init__(self, cells: Sequence[Cell], relations: Sequence[Relation], rules: Rules):
        self.low: list[float] = []
        self.high: list[float] = []
        self.hidden: list[bool] = []
        for cell in cells:
            shown = (cell.eligible_hidden is None, cell.chronic_hidden is None)
            for (lo, hi), visible in zip(bounds(cell, rules), shown, strict=True):
                self.low.append(lo)
                self.high.append(hi)
                self.hidden.append(not visible)
        # Constraint s < 2·len(relations): relation s // 2 for count s % 2; then the pairs.
        self.sums = [
            (2 * rel.total + count, tuple(2 * p + count for p in rel.parts), r)
            for r, rel in enumerate(relations)
            for count in (0, 1)
        ]
        self.watch: dict[int, list[int]] = {}
        for s, (total, parts, _) in enumerate(self.sums):
            for var in (total, *parts):
                if self.hidden[var]:
                    self.watch.setdefault(var, []).append(s)
        self.enabled = [False] * len(self.sums)
        self.origin: dict[int, int] = {}
        # While a sum is tried alone (step 2), each change is logged here to be undone.
        self.trail: list[tuple[int, float, float, int | None]] | None = None

    def informative(self, s: int) -> bool:
        """A sum with a hidden count in it (one of shown counts only tells nothing hidden)."""
        total, parts, _ = self.sums[s]
        return any(self.hidden[v] for v in (total, *parts))

    def run(self, start: Sequence[int]) -> int | None:
        """Narrow from the constraints ``start`` until nothing moves, through enabled sums and
        the pairs; the contradicted sum, if one is met (then the bounds are left changed).

        Sums that cannot all hold can also push a bound up step by step without end (x = y + 1
        and y = x): a run still moving after ``STEPS_PER_COUNT`` steps per count is taken as a
        contradiction too."""
        queue = list(start)
        queued = set(queue)
        pairs = len(self.sums)
        budget = STEPS_PER_COUNT * len(self.low) + 10_000
        while queue:
            s = queue.pop()
            queued.discard(s)
            budget -= 1
            if budget < 0:
                return s
            changes: list[tuple[int, float, float, int | None]]
            if s >= pairs:
                k = s - pairs
                changes = [(2 * k + 1, 0, self.high[2 * k], None)]
                changes.append((2 * k, self.low[2 * k + 1], INF, None))
            else:
                changes = [(v, lo, hi, s) for v, lo, hi in self._sum_bounds(s)]
            for var, lo, hi, source in changes:
                new_lo, new_hi = max(self.low[var], lo), min(self.high[var], hi)
                if new_lo > new_hi:
                    return s if source is not None else self.origin.get(var, -1)
                if (new_lo, new_hi) == (self.low[var], self.high[var]):
                    continue
                if self.trail is not None:
                    self.trail.append((var, self.low[var], self.high[var], self.origin.get(var)))
                self.low[var], self.high[var] = new_lo, new_hi
                if source is not None:
                    self.origin[var] = source
                for t in (*self.watch.get(var, ()), pairs + var // 2):
                    if t not in queued and (t >= pairs or self.enabled[t]):
                        queued.add(t)
                        queue.append(t)
        return None

    def _sum_bounds(self, s: int) -> list[tuple[int, float, float]]:
        """For ``total = Σ parts``: the bounds each hidden member must lie in, given the
        others' bounds."""
        total, parts, _ = self.sums[s]
        low, high, hidden = self.low, self.high, self.hidden
        sum_low = sum(low[v] for v in parts)
        finite = [high[v] for v in parts if high[v] != INF]
        infinite = len(parts) - len(finite)
        sum_high = sum(finite)
        result = []
        if hidden[total]:
            result.append((total, sum_low, INF if infinite else sum_high))
        for v in parts:
            if not hidden[v]:
                continue
            rest_low = sum_low - low[v]
            others_infinite = infinite - (high[v] == INF)
            rest_high = INF if others_infinite else sum_high - (0 if high[v] == INF else high[v])
            result.append((v, low[total] - rest_high, high[total] - rest_low))
        return result

    def together(
        self, sums: Sequence[int], *, keep: bool = False
    ) -> list[tuple[int, int | None]] | None:
        """Narrow with ``sums`` added to those already in force: the hidden counts newly pinned
        (with the sum that last narrowed each), or None when the sums contradict what is
        known. Unless ``keep`` (and they agree), the bounds are put back as they were and the
        sums taken out again."""
        self.trail = []
        for t in sums:
            self.enabled[t] = True
        agrees = self.run(list(sums)) is None
        pinned = [
            (v, self.origin.get(v))
            for v in sorted({v for v, *_ in self.trail})
            if self.hidden[v] and self.low[v] == self.high[v]
        ]
        if not (keep and agrees):
            for t in sums:
                self.enabled[t] = False
            for var, low, high, origin in reversed(self.trail):
                self.low[var], self.high[var] = low, high
                if origin is None:
                    self.origin.pop(var, None)
                else:
                    self.origin[var] = origin
        self.trail = None
        return pinned if agrees else None


def attack(
    cells: Sequence[Cell], relations: Sequence[Relation], rules: Rules, keys: Sequence[Key]
) -> list[Finding]:
    """Every hidden count a reader of the published cells can recover (see the module's
    docstring for the steps); ``keys`` name the cells."""
    state = _Attack(cells, relations, rules)
    state.run([len(state.sums) + k for k in range(len(cells))])
    pins: list[tuple[int, int | None]] = [
        (v, None)
        for v in range(len(state.low))
        if state.hidden[v] and state.low[v] == state.high[v]
    ]
    informative = [s for s in range(len(state.sums)) if state.informative(s)]
    within = [s for s in informative if relations[s // 2].kind == "dimension"]
    pool = [s for s in informative if relations[s // 2].kind != "dimension"]
    # Step 1: the sums within units hold exactly (unless the source's own counts disagree).
    # When all of them agree, so does each one: no need to try them one by one.
    found = state.together(within, keep=True)
    if found is None:
        within = [s for s in within if state.together([s]) is not None]
        found = state.together(within, keep=True)
    if found is None:
        pool += within
    else:
        pins += found
    # Step 2: each other sum that agrees with step 1; then, together, those of one group, of
    # one unit, and all of them, wherever they agree with each other. When all of them agree
    # together, that alone tells everything the smaller sets would.
    found = state.together(pool)
    if found is not None:
        return _findings(state, pins + found)
    kept = []
    for s in pool:
        found = state.together([s])
        if found is not None:
            kept.append(s)
            pins += found
    families: dict[object, list[int]] = {}
    for s in kept:
        total = keys[relations[s // 2].total]
        families.setdefault(("group", total.dimension, total.group), []).append(s)
        families.setdefault(("unit", total.level, total.unit_id), []).append(s)
    families["all"] = kept
    for family in families.values():
        if len(family) > 1:
            pins += state.together(family) or []
    return _findings(state, pins)


def _findings(state: _Attack, pins: list[tuple[int, int | None]]) -> list[Finding]:
    first = dict(reversed(pins))  # one finding per count, with the first sum that gave it
    return [
        Finding(var // 2, COUNTS[var % 2], _relation(state, origin))
        for var, origin in sorted(first.items())
    ]


def _relation(state: _Attack, constraint: int | None) -> int | None:
    if constraint is None or constraint < 0 or constraint >= len(state.sums):
        return None
    return state.sums[constraint][2]
