"""The families' contacts the platform keeps (rollcall.web.families) added to the input's, for
the library to plan with (docs/decisions/0013-outreach.md, "Consequences").

For each student with a current contact record: the guardian's name, e-mail, phone and language
fill the students file's blanks (the input's own values come first: the district's system is
where families' details are kept), and a current contact who asked not to receive attendance
messages (``may_contact`` off) opts the household out, whatever the input says. The rows keep
their file and line in the input."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from rollcall.web.families.models import Contact

# The students file's contact column → the contact record's field.
FILLS = {"guardian_name": "name", "guardian_email": "email", "guardian_phone": "phone",
         "home_language": "language"}  # fmt: skip


def with_platform_contacts(district_pk: int) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The ``amend_contacts`` of ``rollcall.api.outreach_plan`` for a district's round."""

    def amend(rows: pd.DataFrame) -> pd.DataFrame:
        records: dict[str, list[Contact]] = {}
        found = Contact.objects.filter(student__district=district_pk, current=True)
        for contact in found.select_related("student").order_by("student", "-may_contact", "pk"):
            records.setdefault(contact.student.student_id, []).append(contact)
        if not records:
            return rows
        out = rows.copy()
        for column in (*FILLS, "opt_out"):
            if column not in out.columns:
                out[column] = None
        for index, sid in out["student_id"].items():
            mine = records.get(str(sid))
            if not mine:
                continue
            first = mine[0]
            for column, field in FILLS.items():
                if _blank(out.at[index, column]) and getattr(first, field):
                    out.at[index, column] = getattr(first, field)
            if any(not c.may_contact for c in mine):
                out.at[index, "opt_out"] = "Y"
        return out

    return amend


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == ""
