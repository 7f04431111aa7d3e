"""The canonical vocabulary every reader translates into (docs/format.md, ``attendance.csv``).

Attendance statuses, each with whether it is an absence and its precedence when two rows of the
same student, school and date tie (lower wins; docs/rules.md, "Duplicates"). Readers map their
own codes (an SIS's ``A``/``T``, Ed-Fi descriptors, CALPADS fields) onto these names.
"""

from __future__ import annotations

# status → (is an absence, precedence when rows tie: lower wins)
STATUSES: dict[str, tuple[bool, int]] = {
    "suspension": (True, 0),
    "unexcused": (True, 1),
    "excused": (True, 2),
    "present": (False, 3),
    "tardy": (False, 3),
    "early_departure": (False, 3),
    "in_school_suspension": (False, 3),
}
