"""Who outreach writes to, and the round's settings: declared once, loadable from TOML.

```toml
[outreach]
select = "band"                       # or "tier": the early warning's suggested tier
bands = ["at_risk", "moderate", "severe"]
tiers = ["intensive", "targeted"]
holdout = 0.2
exclude_documented = ["medical", "disability"]
policy = "attendance-works"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from rollcall.errors import PolicyError
from rollcall.tiers import TIER_NAMES
from rollcall.warn.ranking import INTENSIVE, TARGETED, UNIVERSAL

SELECTIONS = ("band", "tier")
WARNING_TIERS = (INTENSIVE, TARGETED, UNIVERSAL)
DOCUMENTED = ("medical", "disability")


@dataclass(frozen=True)
class OutreachRules:
    """``select``: by the absence band so far (``bands``) or by the early warning's tier
    (``tiers``). ``holdout``: the share of households held out in each stratum.
    ``exclude_documented``: students whose absences are documented as these are left out."""

    select: str = "band"
    bands: tuple[str, ...] = ("at_risk", "moderate", "severe")
    tiers: tuple[str, ...] = (INTENSIVE, TARGETED)
    holdout: float = 0.2
    exclude_documented: tuple[str, ...] = DOCUMENTED
    policy: str = "attendance-works"

    def __post_init__(self) -> None:
        check(self, "rules")


def check(rules: OutreachRules, where: str) -> None:
    """Refuse a value that cannot be used, naming the key."""
    if rules.select not in SELECTIONS:
        raise PolicyError(f"{where}: select must be one of {', '.join(SELECTIONS)}, not "
                          f"{rules.select!r}")  # fmt: skip
    for key, allowed in (("bands", TIER_NAMES), ("tiers", WARNING_TIERS),
                         ("exclude_documented", DOCUMENTED)):  # fmt: skip
        for value in getattr(rules, key):
            if value not in allowed:
                raise PolicyError(
                    f"{where}: {key} may hold {', '.join(allowed)}; {value!r} is none of them"
                )
    if not 0 < rules.holdout < 1:
        raise PolicyError(f"{where}: holdout must be a share between 0 and 1 (0.2 is 20%)")


def load_rules(path: Path | None, **overrides: Any) -> OutreachRules:
    """The rules from a TOML file's ``[outreach]`` table (defaults without a file), with
    ``overrides`` that are not None (the command line's options) on top."""
    values: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(f"{path}: cannot be read as TOML: {exc}") from None
        table = data.get("outreach", data)
        known = {f.name for f in fields(OutreachRules)}
        for key, value in table.items():
            if key not in known:
                raise PolicyError(
                    f"{path}: unknown key {key!r} in [outreach]; known: {', '.join(sorted(known))}"
                )
            values[key] = tuple(value) if isinstance(value, list) else value
        for key in ("holdout",):
            if key in values and not isinstance(values[key], int | float):
                raise PolicyError(f"{path}: {key} must be a number")
    rules = OutreachRules(**values) if path is None else _checked(values, str(path))
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return replace(rules, **chosen) if chosen else rules


def _checked(values: dict[str, Any], where: str) -> OutreachRules:
    try:
        return OutreachRules(**values)
    except PolicyError as exc:
        raise PolicyError(str(exc).replace("rules:", f"{where}:", 1)) from None
