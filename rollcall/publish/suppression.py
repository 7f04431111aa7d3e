"""Which published counts are hidden, and why: the rules of docs/publish.md, in order.

1. **Source**: a cell the source already suppressed stays hidden (``hidden by the source``).
2. **Primary**: a group with fewer than ``minimum_students`` eligible students is hidden.
3. **Numerator** (when set): fewer than ``minimum_chronic`` chronically absent students hides
   that count and the rate.
4. **Extreme values**: a count within ``extreme_count`` of none or of all is withheld and the
   rate shown as a range.
5. **Complementary**: in every sum of ``relations.py`` where exactly one count is hidden, the
   member whose hiding loses least is hidden too (``Prices``: the fewest students whose rate
   is lost, counting the second count that hiding it would force in another sum, a unit's
   ``all`` row last); then the publisher's own attack (``audit.py``) looks for any hidden
   count a reader can still work out from the sums and the rules, and the cheapest count of
   the sum that gave it away is hidden, until the attack recovers nothing. A greedy, modular
   choice in the manner of tau-ARGUS's modular method, not an optimum.
6. **Swap**: a group hidden to protect another is shown again where a single smaller group of
   one of its sums can take its place and the attack still recovers nothing (``_swap_for_smaller``),
   in a school year of at most SWAP_PASS_MOST_CELLS cells.

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
# The swap pass tries one whole attack per candidate swap, so its time grows with the square of
# the table: a district's year (the demo: 528 cells) takes seconds, a state's published file
# (California's Monterey file: about 2,100 cells a year) took over ten minutes. Above this many
# cells in a school year the greedy choice stands (docs/publish.md).
SWAP_PASS_MOST_CELLS = 1_000


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
    on return no hidden count can be recovered by ``audit.attack``. Each extra count hidden is
    the one that loses least (``Prices``)."""
    sums = relations(keys, district_of)
    prices = Prices(keys, cells, sums)
    start = [_copy(cell) for cell in cells]
    while True:
        _no_lone_hidden(cells, prices, sums)
        findings = attack(cells, sums, rules, keys)
        if not findings:
            break
        _hide_more(findings, cells, prices, sums, rules)
    if len(cells) <= SWAP_PASS_MOST_CELLS:
        _swap_for_smaller(keys, cells, start, prices, rules)


def _copy(cell: Cell) -> Cell:
    return Cell(cell.eligible, cell.chronic, cell.eligible_hidden, cell.chronic_hidden)


def _swap_for_smaller(
    keys: Sequence[Key],
    cells: list[Cell] | Sequence[Cell],
    start: Sequence[Cell],
    prices: Prices,
    rules: Rules,
) -> None:
    """The swap pass: a group hidden to protect another is shown again when one smaller group
    of a sum it is in, shown so far, can be hidden in its place and the attack still recovers
    nothing. The greedy choice of ``_hide_more`` looks one step ahead only; this pass undoes
    the choices a single swap shows were not the least loss (largest groups first, until no
    swap helps: each swap hides fewer students, so it ends). A unit's ``all`` row never takes
    the place of one of its groups."""
    changed = True
    while changed:
        changed = False
        hidden = [
            k
            for k, cell in enumerate(cells)
            if COMPLEMENTARY in (cell.eligible_hidden, cell.chronic_hidden)
        ]
        for k in sorted(hidden, key=lambda k: (-(cells[k].eligible or 0), k)):
            if COMPLEMENTARY in (cells[k].eligible_hidden, cells[k].chronic_hidden):
                changed |= _swap_one(k, keys, cells, start, prices, rules)


def _swap_one(
    k: int,
    keys: Sequence[Key],
    cells: Sequence[Cell],
    start: Sequence[Cell],
    prices: Prices,
    rules: Rules,
) -> bool:
    """Try each smaller shown member of ``k``'s sums in its place, smallest first; keep the
    first swap the attack cannot undo. True when one was kept."""
    count = ELIGIBLE if cells[k].eligible_hidden == COMPLEMENTARY else CHRONIC
    size = cells[k].eligible or 0
    members = {
        m
        for r in prices.member_of.get(k, ())
        for m in (prices.sums[r].total, *prices.sums[r].parts)
        if m != k and (cells[m].eligible or 0) < size and (prices.whole[k] or not prices.whole[m])
    }
    for m in sorted(members, key=lambda m: (cells[m].eligible or 0, m)):
        if _hidden(cells[m], ELIGIBLE) or (count == CHRONIC and _hidden(cells[m], CHRONIC)):
            continue
        trial = [_copy(cell) for cell in cells]
        trial[k] = _copy(start[k])
        _hide(trial[m], count)
        if not attack(trial, prices.sums, rules, keys):
            for cell, tried in zip(cells, trial, strict=True):
                cell.eligible_hidden, cell.chronic_hidden = (
                    tried.eligible_hidden,
                    tried.chronic_hidden,
                )
            return True
    return False


def _hidden(cell: Cell, count: str) -> bool:
    return (cell.eligible_hidden if count == ELIGIBLE else cell.chronic_hidden) is not None


def _hide(cell: Cell, count: str) -> None:
    if count == ELIGIBLE:
        cell.hide_eligible(COMPLEMENTARY)
    else:
        cell.hide_chronic(COMPLEMENTARY)


# What hiding one more count costs, compared as a tuple: a unit's ``all`` row last (the unit's
# own rate is the figure people look for first); then the students whose rate would no longer
# be shown, counting those of the sums it would leave with a lone hidden count (which would
# need one more); then the count of chronically absent before the count of students (the
# group's size stays shown); then the cell's place, so that the choice is deterministic.
Price = tuple[bool, int, int, int]


class Prices:
    """The information lost by hiding a count of a cell (``price``), with a look one step
    ahead: hiding a count in a sum where nothing is hidden yet forces a second one there."""

    def __init__(self, keys: Sequence[Key], cells: Sequence[Cell], sums: Sequence[Relation]):
        self.cells = cells
        self.whole = [key.dimension == "all" for key in keys]
        self.sums = sums
        self.member_of: dict[int, list[int]] = defaultdict(list)
        for r, relation in enumerate(sums):
            for k in (relation.total, *relation.parts):
                self.member_of[k].append(r)

    def students(self, k: int, count: str) -> int:
        """Students whose rate hiding ``count`` of cell ``k`` takes away: none when its rate
        is not shown already (hiding its count of students too then loses only that count).
        A rate the source printed without its count is a rate shown (the row loses it with its
        count of students), so hiding that costs the group's students: else a state's 3 million
        girls were hidden before a small group. (A range counts as hidden already, as in
        ``files.information_loss``.)"""
        cell = self.cells[k]
        if count == ELIGIBLE and cell.chronic_hidden not in (None, SOURCE):
            return 0
        return cell.eligible or 0

    def price(self, k: int, count: str) -> Price:
        students = self.students(k, count)
        counts = (ELIGIBLE, CHRONIC) if count == ELIGIBLE else (CHRONIC,)
        for r in self.member_of.get(k, ()):
            members = (self.sums[r].total, *self.sums[r].parts)
            for which in counts:
                if not any(_hidden(self.cells[m], which) for m in members):
                    students += self._cheapest(members, k, which)
        return self.whole[k], students, int(count == ELIGIBLE), k

    def _cheapest(self, members: Sequence[int], but: int, count: str) -> int:
        """The fewest students among the other members of a sum: what its second hidden count
        would at least cost."""
        return min(
            (self.students(m, count) for m in members if m != but and not self.whole[m]),
            default=0,
        )


def _no_lone_hidden(cells: Sequence[Cell], prices: Prices, sums: Sequence[Relation]) -> None:
    """Until no sum has exactly one hidden count (it would be the total minus the others): hide
    the member of that sum that costs least."""
    changed = True
    while changed:
        changed = False
        for relation in sums:
            members = (relation.total, *relation.parts)
            for count in (ELIGIBLE, CHRONIC):
                if sum(_hidden(cells[k], count) for k in members) != 1:
                    continue
                shown = [k for k in members if not _hidden(cells[k], count)]
                if shown:
                    _hide(cells[min(shown, key=lambda k: prices.price(k, count))], count)
                    changed = True


def _hide_more(
    findings: Sequence[Finding],
    cells: Sequence[Cell],
    prices: Prices,
    sums: Sequence[Relation],
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
        if finding.relation in used:
            continue
        # The sum that gave the count away first: slack anywhere else may not reach it.
        order = [finding.relation] if finding.relation is not None else []
        everywhere = prices.member_of.get(finding.cell, [])
        options = list(_options(cells, prices, sums, order, finding.count))
        options = options or list(_options(cells, prices, sums, everywhere, finding.count))
        if options:  # else what was hidden for an earlier finding this round may do
            _, member, count, r = min(options)
            _hide(cells[member], count)
            used.add(r)
            acted = True
    if not acted:
        raise AssertionError(f"no count left to hide to protect cell {findings[0].cell}")


def _options(
    cells: Sequence[Cell],
    prices: Prices,
    sums: Sequence[Relation],
    order: Sequence[int],
    count: str,
) -> Iterator[tuple[tuple[bool, int, int, int, int], int, str, int]]:
    """What could be hidden to protect a recovered ``count``, each with its price: in each sum
    the cell is in, a shown ``count`` of a member, or the count of students of a member whose
    chronically absent count is hidden (so that the rules tell less about it). The sum that
    gave the count away breaks ties."""
    for rank, r in enumerate(order):
        relation = sums[r]
        for member in (*relation.parts, relation.total):
            if not _hidden(cells[member], count):
                yield (*prices.price(member, count)[:3], rank, member), member, count, r
            elif count == CHRONIC and not _hidden(cells[member], ELIGIBLE):
                yield (*prices.price(member, ELIGIBLE)[:3], rank, member), member, ELIGIBLE, r


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
