"""The synthetic students' contact columns (docs/format.md, "Contact columns"), drawn from a
stream of their own so that every other column draws exactly what it did before they existed.

Households: the new students of one district are shuffled and cut into households of one to
three (55%, 30%, 15%); a household's id is ``H`` and its first student's id, and its members
share the guardian, the address, the language and the choice to opt out. The home language
follows the student's English learner status and race and ethnicity (mostly Spanish for a
Hispanic English learner, Vietnamese, Chinese or Tagalog for an Asian one; a few families of
other students speak Spanish at home), and is the first member's. About 2% of households opt
out; about 1.5% of students have absences documented as medical, and about 5% of those with a
disability as disability-related. Addresses, e-mails (example.org) and phones (555-01xx) are
invented; none is a real one.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rollcall.synth import names

CONTACT_COLUMNS = (
    "household_id",
    "home_language",
    "guardian_name",
    "guardian_email",
    "guardian_phone",
    "address_line1",
    "city",
    "state",
    "postal_code",
    "opt_out",
    "absence_documented",
)
HOUSEHOLD_SIZES = (1, 2, 3)
HOUSEHOLD_SHARES = (0.55, 0.30, 0.15)
OPT_OUT_SHARE = 0.02
MEDICAL_SHARE = 0.015
DISABILITY_SHARE = 0.05
STREETS = ("Oak", "Maple", "Cedar", "Pine", "Elm", "Willow", "Lake", "Hill", "Park", "River",
           "Mission", "Sunset", "Valley", "Church", "Main", "Spring")  # fmt: skip
SUFFIXES = ("St", "Ave", "Rd", "Way", "Ln", "Dr")
ASIAN_LANGUAGES = ("vi", "zh", "tl")


def households(rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
    """Each student's household: the index of its first member (students of one district only)."""
    n = len(district)
    first = np.arange(n)
    order = np.lexsort((rng.random(n), district))
    position = 0
    while position < n:
        size = int(rng.choice(HOUSEHOLD_SIZES, p=HOUSEHOLD_SHARES))
        members = order[position : position + size]
        members = members[district[members] == district[members[0]]]
        first[members] = members[0]
        position += len(members)
    return first


def languages(rng: np.random.Generator, students: pa.Table) -> np.ndarray:
    n = students.num_rows
    race = np.asarray(students["race_ethnicity"].fill_null("").to_pylist(), dtype=object)
    learner = np.asarray(pc.equal(students["english_learner"], "Y").fill_null(False))
    draw = rng.random(n)
    asian = np.asarray([ASIAN_LANGUAGES[i] for i in rng.integers(0, 3, n)], dtype=object)
    return np.select(
        [
            learner & (race == "Hispanic or Latino") & (draw < 0.9),
            learner & (race == "Asian") & (draw < 0.8),
            ~learner & (race == "Hispanic or Latino") & (draw < 0.25),
        ],
        ["es", asian, "es"],
        "en",
    )


def contact_columns(
    rng: np.random.Generator, students: pa.Table, district: np.ndarray
) -> dict[str, pa.Array]:
    """The contact columns of the new students in ``students`` (from ``draw_students``)."""
    n = students.num_rows
    first = households(rng, district)
    ids = np.asarray(students["student_id"].to_pylist(), dtype=object)
    last = np.asarray(students["last_name"].fill_null("Smith").to_pylist(), dtype=object)
    given = np.asarray(names.FIRST_NAMES_F + names.FIRST_NAMES_M, dtype=object)
    guardian_first = given[rng.integers(0, len(given), n)][first]
    guardian_last = last[first]
    house = rng.integers(10, 9999, n)[first]
    street = rng.integers(0, len(STREETS), n)[first]
    suffix = rng.integers(0, len(SUFFIXES), n)[first]
    phone = rng.integers(0, 100, n)[first]
    area = (200 + district * 7) % 800 + 200
    opt_out = (rng.random(n) < OPT_OUT_SHARE)[first]
    disability = np.asarray(pc.equal(students["disability"], "Y").fill_null(False))
    draw = rng.random(n)
    documented = np.where(
        draw < MEDICAL_SHARE,
        "medical",
        np.where(disability & (draw > 1 - DISABILITY_SHARE), "disability", ""),
    )
    column = {
        "household_id": ["H" + ids[f] for f in first],
        "home_language": list(languages(rng, students)[first]),
        "guardian_name": [f"{a} {b}" for a, b in zip(guardian_first, guardian_last, strict=True)],
        "guardian_email": [
            f"{a.lower()}.{b.lower().replace(' ', '')}.{ids[f][-4:]}@example.org"
            for a, b, f in zip(guardian_first, guardian_last, first, strict=True)
        ],
        "guardian_phone": [f"{a}-555-01{p:02d}" for a, p in zip(area[first], phone, strict=True)],
        "address_line1": [
            f"{h} {STREETS[s]} {SUFFIXES[x]}" for h, s, x in zip(house, street, suffix, strict=True)
        ],
        "city": [names.PLACES[d % len(names.PLACES)] for d in district],
        "state": ["CA"] * n,
        "postal_code": [f"9{(d * 37) % 10000:04d}" for d in district],
        "opt_out": ["Y" if o else "N" for o in opt_out],
        "absence_documented": [d or None for d in documented],
    }
    return {name: pa.array(values, pa.string()) for name, values in column.items()}
