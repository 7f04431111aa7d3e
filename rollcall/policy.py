"""What a chronic-absence policy is: the named definitions in use, and custom ones from TOML.

A policy is data, declared once: how many enrolled days make a student count (eligible), how a
partial day counts, which grades are reported, whether a student must have attended a day, and
the share of enrolled days missed that makes a student chronically absent.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from rollcall.errors import PolicyError
from rollcall.grades import GRADES, normalize_grade

PartialDay = Literal["fraction", "cutoff"]

CA_DASHBOARD_GRADES = frozenset(["TK", "K", "1", "2", "3", "4", "5", "6", "7", "8"])


@dataclass(frozen=True)
class Policy:
    """A chronic-absence definition.

    - ``minimum_enrolled_days``: a student is eligible with at least this many enrolled days.
    - ``partial_day``: ``"fraction"`` counts a partial day as its absent fraction; ``"cutoff"``
      counts it as a whole day absent when the fraction is at least ``partial_day_cutoff``, and as
      present otherwise.
    - ``grades``: the grades reported (``None``: all); a student whose grade at a level is outside
      them does not appear at that level.
    - ``require_attended_day``: eligible students must also have at least one enrolled day that
      was not wholly absent.
    - ``threshold``: chronically absent when days absent ≥ threshold × days enrolled, exactly.
    - ``dimensions``: student attributes declared as reporting dimensions, besides the known ones
      (docs/format.md, "Student attributes"); every other attribute is kept private.
    """

    name: str
    description: str
    minimum_enrolled_days: int
    partial_day: PartialDay = "fraction"
    partial_day_cutoff: Fraction | None = None
    grades: frozenset[str] | None = None
    require_attended_day: bool = False
    threshold: Fraction = Fraction(1, 10)
    dimensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.minimum_enrolled_days < 1:
            raise PolicyError(f"policy {self.name!r}: minimum_enrolled_days must be at least 1")
        if self.partial_day == "cutoff":
            cutoff = self.partial_day_cutoff
            if cutoff is None or not 0 < cutoff <= 1:
                raise PolicyError(
                    f"policy {self.name!r}: partial_day_cutoff must be in (0, 1] "
                    'when partial_day = "cutoff"'
                )
        elif self.partial_day != "fraction":
            raise PolicyError(
                f"policy {self.name!r}: partial_day must be 'fraction' or 'cutoff', "
                f"not {self.partial_day!r}"
            )
        if not 0 < self.threshold <= 1:
            raise PolicyError(f"policy {self.name!r}: chronic_threshold must be in (0, 1]")

    def includes_grade(self, grade: str) -> bool:
        """True when students in ``grade`` are reported under this policy."""
        return self.grades is None or grade in self.grades


POLICIES: dict[str, Policy] = {
    "attendance-works": Policy(
        name="attendance-works",
        description="Attendance Works: 10% or more of enrolled days missed, partial days by "
        "their fraction, at least 10 enrolled days.",
        minimum_enrolled_days=10,
    ),
    "edfacts": Policy(
        name="edfacts",
        description="Federal EDFacts (FS195): a day half or more missed counts as a whole day "
        "absent, less than half as present; at least 10 enrolled days.",
        minimum_enrolled_days=10,
        partial_day="cutoff",
        partial_day_cutoff=Fraction(1, 2),
    ),
    "california": Policy(
        name="california",
        description="California (DataQuest): only whole days missed count; at least 31 expected "
        "days of attendance and at least one day attended.",
        minimum_enrolled_days=31,
        partial_day="cutoff",
        partial_day_cutoff=Fraction(1),
        require_attended_day=True,
    ),
    "california-dashboard": Policy(
        name="california-dashboard",
        description="California School Dashboard indicator: as 'california', grades TK and K-8 "
        "only.",
        minimum_enrolled_days=31,
        partial_day="cutoff",
        partial_day_cutoff=Fraction(1),
        grades=CA_DASHBOARD_GRADES,
        require_attended_day=True,
    ),
}

_TOML_KEYS = {
    "name",
    "description",
    "minimum_enrolled_days",
    "partial_day",
    "partial_day_cutoff",
    "grades",
    "require_attended_day",
    "chronic_threshold",
    "dimensions",
}


def get_policy(name_or_path: str | Path) -> Policy:
    """The named policy, or a custom one read from a ``.toml`` file."""
    text = str(name_or_path)
    if text in POLICIES:
        return POLICIES[text]
    if text.endswith(".toml"):
        return load_policy(Path(text))
    known = ", ".join(POLICIES)
    raise PolicyError(
        f"unknown policy {text!r}",
        hint=f"use one of {known}, or the path of a .toml policy file",
    )


def load_policy(path: Path) -> Policy:
    """Read a custom policy from TOML, naming any bad key or value."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: policy file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    return policy_from_mapping(data, source=str(path))


def policy_from_mapping(data: dict[str, Any], *, source: str) -> Policy:
    """Validate a policy given as a mapping (from TOML) and build it."""
    unknown = sorted(set(data) - _TOML_KEYS)
    if unknown:
        raise PolicyError(
            f"{source}: unknown key {unknown[0]!r}",
            hint="keys are " + ", ".join(sorted(_TOML_KEYS)),
        )
    for required in ("name", "minimum_enrolled_days"):
        if required not in data:
            raise PolicyError(f"{source}: missing key {required!r}")
    return Policy(
        name=_typed(data, "name", str, source),
        description=_typed(data, "description", str, source, default=""),
        minimum_enrolled_days=_typed(data, "minimum_enrolled_days", int, source),
        partial_day=_typed(data, "partial_day", str, source, default="fraction"),  # type: ignore[arg-type]
        partial_day_cutoff=_fraction(data, "partial_day_cutoff", source),
        grades=_grades(data, source),
        require_attended_day=_typed(data, "require_attended_day", bool, source, default=False),
        threshold=_fraction(data, "chronic_threshold", source) or Fraction(1, 10),
        dimensions=_dimensions(data, source),
    )


def _typed(data: dict[str, Any], key: str, kind: type, source: str, default: Any = None) -> Any:
    value = data.get(key, default)
    # bool is a subclass of int: a `true` where a number belongs is still a mistake.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PolicyError(f"{source}: key {key!r} must be {kind.__name__}, not {value!r}")
    return value


def _fraction(data: dict[str, Any], key: str, source: str) -> Fraction | None:
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PolicyError(f"{source}: key {key!r} must be a number, not {value!r}")
    try:
        # Through str so that 0.1 means one tenth exactly, not the nearest binary float.
        return Fraction(str(value))
    except ValueError:
        raise PolicyError(f"{source}: key {key!r} must be a number, not {value!r}") from None


def _grades(data: dict[str, Any], source: str) -> frozenset[str] | None:
    if "grades" not in data:
        return None
    values = data["grades"]
    if not isinstance(values, list) or not values:
        raise PolicyError(f"{source}: key 'grades' must be a non-empty list of grades")
    grades = set()
    for value in values:
        grade = normalize_grade(str(value))
        if grade is None:
            raise PolicyError(
                f"{source}: unknown grade {value!r} in 'grades'",
                hint="grades are " + ", ".join(GRADES),
            )
        grades.add(grade)
    return frozenset(grades)


# A dimension is named as a column is: letters, digits, spaces, - and _, not starting with a
# space. Whether that column may be a dimension is decided against the input (its name and values).
_DIMENSION_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ -]*")


def _dimensions(data: dict[str, Any], source: str) -> tuple[str, ...]:
    if "dimensions" not in data:
        return ()
    values = data["dimensions"]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PolicyError(
            f"{source}: key 'dimensions' must be a list of column names, not {values!r}",
            hint='for example dimensions = ["program", "gifted"]',
        )
    for value in values:
        if not _DIMENSION_NAME.fullmatch(value):
            raise PolicyError(
                f"{source}: {value!r} in 'dimensions' is not a column name",
                hint="a column of the students file, like program or gifted",
            )
        if value.lower() in ("all", "grade"):
            raise PolicyError(
                f"{source}: {value!r} in 'dimensions' is a dimension rollcall counts already"
            )
    if len({v.lower() for v in values}) < len(values):
        raise PolicyError(f"{source}: a name appears twice in 'dimensions'")
    return tuple(values)
