"""Disclosure avoidance rule sets: what makes a published cell too small or too telling.

A rule set is data, declared once: the named presets below, or a TOML file read and validated
here (an error names the bad key). The rules themselves are applied in ``suppression.py`` and
explained, with worked examples, in docs/publish.md.

- ``minimum_students`` (5–30, default 11): a group with fewer eligible students is hidden
  entirely (its count of students, of chronically absent students and its rate).
- ``minimum_chronic`` (0 = off, else 2 up to ``minimum_students`` − 1): a group with fewer
  chronically absent students has that count and its rate hidden (its count of students stays).
- ``extreme_percent`` (0 = off, else 1–20, default 5): in a group of at most
  ``ranges_up_to`` students, a rate within ``extreme_count(n)`` students of none or of all is
  shown as a range (``≤5%``, ``≥95%``) and the count of chronically absent students is
  withheld. The range always covers at least two possible counts, so it never tells that no
  child, or every child, of such a group is chronically absent. With a ``minimum_chronic``
  rule the low range is not used: that rule already hides every count below it.
- ``ranges_up_to`` (``minimum_students`` to 1,000,000, default 50): the largest group whose
  extreme rate is a range. In a group of a class or two, people can name the children, and
  "none" or "all" of them describes each child; a larger group shows its exact rate (a range
  there would mostly hide ordinary low rates: 5% of 400 students is 20 of them). A state that
  wants ranges at every size sets 1,000,000.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rollcall.errors import OptionError

NOTE_PRIMARY = "fewer than {n} students"
NOTE_NUMERATOR = "fewer than {n} chronically absent students"
NOTE_RANGE = "range shown to protect individuals"
NOTE_COMPLEMENTARY = "hidden to protect another group"
NOTE_SOURCE = "hidden by the source"
# A published file that prints a rate but not the count behind it: the rate is public already.
NOTE_SOURCE_RATE = "rate as published by the source; its count was not published"

# The largest ``ranges_up_to``: more students than any state has in one group.
MAXIMUM_RANGES_UP_TO = 1_000_000


@dataclass(frozen=True)
class Rules:
    """A disclosure avoidance rule set (see the module's docstring for each field)."""

    name: str
    description: str = ""
    minimum_students: int = 11
    minimum_chronic: int = 0
    extreme_percent: int = 5
    ranges_up_to: int = 50

    def __post_init__(self) -> None:
        if not 5 <= self.minimum_students <= 30:
            raise OptionError(
                f"rules {self.name!r}: minimum_students must be from 5 to 30, "
                f"not {self.minimum_students}"
            )
        # "Fewer than 1" would tell that a hidden count is 0: the rule must leave two values.
        if self.minimum_chronic and not 2 <= self.minimum_chronic < self.minimum_students:
            raise OptionError(
                f"rules {self.name!r}: minimum_chronic must be 0 (off) or from 2 to "
                f"{self.minimum_students - 1} (below minimum_students), not {self.minimum_chronic}"
            )
        if self.extreme_percent and not 1 <= self.extreme_percent <= 20:
            raise OptionError(
                f"rules {self.name!r}: extreme_percent must be 0 (off) or from 1 to 20, "
                f"not {self.extreme_percent}"
            )
        # Below minimum_students no group is shown, so a smaller size would turn the ranges
        # off: extreme_percent = 0 says that.
        if not self.minimum_students <= self.ranges_up_to <= MAXIMUM_RANGES_UP_TO:
            raise OptionError(
                f"rules {self.name!r}: ranges_up_to must be from minimum_students "
                f"({self.minimum_students}) to {MAXIMUM_RANGES_UP_TO:,}, not {self.ranges_up_to}"
            )

    @property
    def primary_note(self) -> str:
        return NOTE_PRIMARY.format(n=self.minimum_students)

    @property
    def numerator_note(self) -> str:
        return NOTE_NUMERATOR.format(n=self.minimum_chronic)

    @property
    def low_ranges(self) -> bool:
        """True when a rate near 0 is shown as a range (``≤5%``)."""
        return bool(self.extreme_percent) and not self.minimum_chronic

    def ranged(self, eligible: int) -> bool:
        """True when a group of ``eligible`` students shows an extreme rate as a range: the
        rule is on and the group has at most ``ranges_up_to`` students."""
        return bool(self.extreme_percent) and eligible <= self.ranges_up_to

    def extreme_count(self, eligible: int) -> int:
        """How many students from none (or from all) a count must be to be shown as a range:
        ``extreme_percent`` of the group, rounded down, and at least 1."""
        return max(1, eligible * self.extreme_percent // 100)

    def range_percent(self, eligible: int) -> int:
        """The whole percent ``x`` of the range ``≤x%`` (and ``≥(100−x)%``) for a group of
        ``eligible`` students: ``extreme_percent``, or more for a group so small that
        ``extreme_percent`` of it is less than one student (11 students: ``≤10%``). A reader
        who knows the group's size reads back exactly ``extreme_count(eligible)`` from it."""
        count = self.extreme_count(eligible)
        return max(self.extreme_percent, math.ceil(100 * count / eligible))

    def extreme(self, eligible: int, chronic: int) -> str | None:
        """The range to show instead of ``chronic`` of ``eligible``, or None."""
        if not self.ranged(eligible) or eligible <= 0:
            return None
        count = self.extreme_count(eligible)
        percent = self.range_percent(eligible)
        if chronic >= eligible - count:
            return f"≥{100 - percent}%"
        if self.low_ranges and chronic <= count:
            return f"≤{percent}%"
        return None

    def describe(self) -> str:
        """One line for people: what the rule set hides."""
        parts = [f"groups of fewer than {self.minimum_students} students hidden"]
        if self.minimum_chronic:
            parts.append(f"fewer than {self.minimum_chronic} chronically absent hidden")
        if self.extreme_percent:
            low = f"≤{self.extreme_percent}% and " if self.low_ranges else ""
            parts.append(
                f"rates {low}≥{100 - self.extreme_percent}% of groups of up to "
                f"{self.ranges_up_to:,} students shown as ranges"
            )
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The rule set as published in ``public_summary.json``."""
        return {
            "name": self.name,
            "description": self.description,
            "minimum_students": self.minimum_students,
            "minimum_chronic": self.minimum_chronic,
            "extreme_percent": self.extreme_percent,
            "ranges_up_to": self.ranges_up_to,
        }


PRESETS: dict[str, Rules] = {
    "default": Rules(
        name="default",
        description="rollcall's default: groups of 10 or fewer students hidden, rates within "
        "5% of none or all shown as ranges, complementary suppression.",
    ),
    "california": Rules(
        name="california",
        description="California's n-size (DataQuest): groups of 10 or fewer students hidden; "
        "with rollcall's ranges and complementary suppression.",
        minimum_students=11,
    ),
    "connecticut": Rules(
        name="connecticut",
        description="Connecticut's rule: fewer than 20 students, or fewer than 6 "
        "chronically absent, hidden; with rollcall's ranges and complementary suppression.",
        minimum_students=20,
        minimum_chronic=6,
    ),
    "federal": Rules(
        name="federal",
        description="A minimum n-size of 30, the largest in use among states' ESSA plans.",
        minimum_students=30,
    ),
}

_KEYS = (
    "name",
    "description",
    "minimum_students",
    "minimum_chronic",
    "extreme_percent",
    "ranges_up_to",
)


def get_rules(name_or_path: str | Path | None) -> Rules:
    """A preset by name (``None``: ``default``), or a rule set read from a ``.toml`` file."""
    if name_or_path is None:
        return PRESETS["default"]
    text = str(name_or_path)
    if text in PRESETS:
        return PRESETS[text]
    if text.endswith(".toml"):
        return load_rules(Path(text))
    raise OptionError(
        f"unknown rules {text!r}",
        hint=f"use one of {', '.join(PRESETS)}, or the path of a .toml rules file",
    )


def load_rules(path: Path) -> Rules:
    """Read a rule set from TOML, naming any bad key or value."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OptionError(f"{path}: rules file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise OptionError(f"{path}: not valid TOML: {exc}") from None
    return rules_from_mapping(data, source=str(path))


def rules_from_mapping(data: dict[str, Any], *, source: str) -> Rules:
    """Validate a rule set given as a mapping (from TOML) and build it."""
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise OptionError(
            f"{source}: unknown key {unknown[0]!r}", hint="keys are " + ", ".join(_KEYS)
        )
    if "name" not in data:
        raise OptionError(f"{source}: missing key 'name'")
    values: dict[str, Any] = {}
    for key in _KEYS:
        if key not in data:
            continue
        value = data[key]
        kind = str if key in ("name", "description") else int
        # bool is a subclass of int: `true` where a number belongs is still a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise OptionError(f"{source}: key {key!r} must be {kind.__name__}, not {value!r}")
        values[key] = value
    try:
        return Rules(**values)
    except OptionError as exc:
        raise OptionError(f"{source}: {exc}") from None
