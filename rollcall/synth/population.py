"""Students: who they are (the attributes a report groups by) and how prone they are to miss school.

A chunk of the state is a :class:`Cohort` of seats, one student in each seat at a time: when a
student graduates or leaves the state, a new student takes the seat the next year, so every school
year has about as many students as asked for.

Attributes follow the district: race and ethnicity from the district's own mix, economic
disadvantage from the district's level and the student's group, English learners mostly among
Hispanic and Asian students in the early grades, disability more often among boys. A small share of
each attribute is left unknown (empty), as in real extracts.

Absence propensity is a student's lasting trait: a lognormal daily absence rate (most students miss
a few days, a long tail misses many), multiplied by the known risk factors (economic disadvantage,
homelessness, foster care, disability) and, for a few percent of students, by a disengagement
factor. It drifts from one year to the next (an autoregressive step) rather than being redrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rollcall.synth import names
from rollcall.synth.districts import RACES, TK, UG, State

STUDENT_COLUMNS = (
    "student_id",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "race_ethnicity",
    "english_learner",
    "disability",
    "economically_disadvantaged",
    "foster",
    "homeless",
    "migrant",
)

WHITE, HISPANIC, BLACK, ASIAN, TWO_OR_MORE, NATIVE_AMERICAN, PACIFIC_ISLANDER = range(7)
# log-odds of economic disadvantage by race and ethnicity, added to the district's level
ECON_BY_RACE = np.array([-0.6, 0.8, 0.9, -0.5, 0.0, 1.0, 0.7])
# relative absence by race and ethnicity, beyond what economic disadvantage explains
ABSENCE_BY_RACE = np.array([1.0, 1.08, 1.18, 0.62, 1.08, 1.5, 1.4], dtype=np.float32)
# relative suspension by race and ethnicity (disparities as reported in federal civil-rights data)
SUSPENSION_BY_RACE = np.array([1.0, 1.2, 2.2, 0.4, 1.3, 1.8, 1.3], dtype=np.float32)

DISENGAGED_SHARE = 0.035
DISENGAGED_FACTOR = 2.8
UNKNOWN_SHARE = 0.01

# Scrambles student numbers into 10-digit ids: a bijection of 0..10^9-1 (the multiplier is prime
# to 10^9), so ids are unique, look arbitrary, and all begin with 1.
_ID_MULTIPLIER = 387_420_489
_ID_OFFSET = 123_456_789
ID_SPACE = 1_000_000_000


def student_ids(numbers: np.ndarray) -> pa.Array:
    """The student_id strings of student numbers."""
    scrambled = (numbers.astype(np.int64) * _ID_MULTIPLIER + _ID_OFFSET) % ID_SPACE + ID_SPACE
    return pc.cast(pa.array(scrambled), pa.string())


@dataclass
class Cohort:
    """The students in a chunk's seats, as parallel arrays (mutable: seats change hands)."""

    number: np.ndarray  # int64 student number (before scrambling into an id)
    generation: np.ndarray  # int32, how many students have held the seat before
    district: np.ndarray  # int32
    school: np.ndarray  # int32
    grade: np.ndarray  # int8 index into GRADES (PK..12)
    ungraded: np.ndarray  # bool: reported as UG
    new: np.ndarray  # bool: joined this school year
    z: np.ndarray  # float32 absence latent, standard normal
    tardy_z: np.ndarray  # float32
    unexcused_z: np.ndarray  # float32
    risk: np.ndarray  # float32, product of the student's absence risk factors
    suspension_risk: np.ndarray  # float32

    def __len__(self) -> int:
        return len(self.number)


@dataclass(frozen=True)
class Traits:
    """What is drawn once for a new student: latents and risk factors (numbers, not text)."""

    z: np.ndarray
    tardy_z: np.ndarray
    unexcused_z: np.ndarray
    risk: np.ndarray
    suspension_risk: np.ndarray


def _labels(
    words: tuple[str, ...], codes: np.ndarray, unknown: np.ndarray | None = None
) -> pa.Array:
    """``words[code]`` for each code, null where ``unknown``."""
    return pa.array(words, pa.string()).take(pa.array(codes.astype(np.int32), mask=unknown))


def _flag(values: np.ndarray, unknown: np.ndarray) -> pa.Array:
    return _labels(("N", "Y"), values, unknown)


def draw_students(
    rng: np.random.Generator,
    state: State,
    *,
    numbers: np.ndarray,
    district: np.ndarray,
    grade: np.ndarray,
    ungraded: np.ndarray,
    start_year: int,
    dates: tuple[int, pa.Array],
) -> tuple[Traits, pa.Table]:
    """New students of the given districts and grades: their traits and their students.csv rows."""
    n = len(numbers)
    gender = rng.choice(3, size=n, p=[0.487, 0.511, 0.002])
    race = (state.race_cum[district] < rng.random(n)[:, None]).sum(axis=1).clip(0, 6)
    econ_p = 1 / (1 + np.exp(-(state.econ_logit[district] + ECON_BY_RACE[race])))
    econ = rng.random(n) < econ_p
    homeless = rng.random(n) < np.where(econ, 0.045, 0.006)
    foster = rng.random(n) < np.where(econ, 0.008, 0.002)
    migrant = rng.random(n) < np.where(race == HISPANIC, 0.02, 0.001)
    early = np.where(grade <= 7, 1.3, np.where(grade >= 11, 0.6, 1.0))
    el_base = np.select([race == HISPANIC, race == ASIAN], [0.32, 0.22], 0.04)
    english_learner = rng.random(n) < el_base * early
    disability = rng.random(n) < np.select([gender == 1, gender == 0], [0.17, 0.10], 0.13)
    risk = (
        ABSENCE_BY_RACE[race]
        * np.where(econ, 1.3, 1.0)
        * np.where(homeless, 1.7, 1.0)
        * np.where(foster, 1.45, 1.0)
        * np.where(disability, 1.25, 1.0)
        * np.where(english_learner, 0.95, 1.0)
        * np.where(migrant, 1.2, 1.0)
        * np.where(rng.random(n) < DISENGAGED_SHARE, DISENGAGED_FACTOR, 1.0)
    ).astype(np.float32)
    suspension_risk = (
        SUSPENSION_BY_RACE[race]
        * np.where(gender == 1, 1.8, 0.8)
        * np.where(disability, 1.6, 1.0)
        * np.where(econ, 1.4, 1.0)
        * np.where(homeless | foster, 1.4, 1.0)
    ).astype(np.float32)
    z = rng.standard_normal(n, dtype=np.float32)
    traits = Traits(
        z=z,
        tardy_z=(0.35 * z + 0.94 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32),
        unexcused_z=(0.5 * z + 0.87 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32),
        risk=risk,
        suspension_risk=suspension_risk,
    )
    females, males = len(names.FIRST_NAMES_F), len(names.FIRST_NAMES_M)
    first_name = np.select(
        [gender == 0, gender == 1],
        [rng.integers(0, females, n), females + rng.integers(0, males, n)],
        rng.integers(0, females + males, n),
    )

    def unknown(share: float = UNKNOWN_SHARE) -> np.ndarray:
        return rng.random(n) < share

    columns = {
        "student_id": student_ids(numbers),
        "first_name": _labels(names.FIRST_NAMES_F + names.FIRST_NAMES_M, first_name),
        "last_name": _labels(names.LAST_NAMES, rng.integers(0, len(names.LAST_NAMES), n)),
        "birth_date": _birth_dates(rng, grade, ungraded, start_year, dates),
        "gender": _labels(("F", "M", "X"), gender, unknown(0.003)),
        "race_ethnicity": _labels(RACES, race, unknown(0.015)),
        "english_learner": _flag(english_learner, unknown()),
        "disability": _flag(disability, unknown()),
        "economically_disadvantaged": _flag(econ, unknown(0.02)),
        "foster": _flag(foster, unknown()),
        "homeless": _flag(homeless, unknown()),
        "migrant": _flag(migrant, unknown()),
    }
    return traits, pa.table(columns)


def _birth_dates(
    rng: np.random.Generator,
    grade: np.ndarray,
    ungraded: np.ndarray,
    start_year: int,
    dates: tuple[int, pa.Array],
) -> pa.Array:
    """Birth dates fitting the grade: age on 1 September is 5 in K, 4 in PK and TK, some a year
    older (held back); ungraded students are 14 to 19."""
    age = np.where(grade <= TK, 4, grade + 3) + (rng.random(len(grade)) < 0.06)
    age = np.where(ungraded, rng.integers(14, 20, len(grade)), age)
    september = np.datetime64(f"{start_year}-09-01", "D").astype(np.int64) - np.round(
        age * 365.2425
    ).astype(np.int64)
    day = september - rng.integers(0, 365, len(grade))
    base, strings = dates
    return strings.take(pa.array(day - base))


def new_cohort(
    rng: np.random.Generator,
    state: State,
    *,
    first_number: int,
    size: int,
) -> Cohort:
    """Seats filled by students drawn from the whole state (traits are filled in by the caller)."""
    district = state.pick_district(rng, size)
    grade = state.pick_grade(rng, district)
    empty = np.zeros(size, dtype=np.float32)
    return Cohort(
        number=np.arange(first_number, first_number + size, dtype=np.int64),
        generation=np.zeros(size, dtype=np.int32),
        district=district,
        school=state.pick_school(rng, district, grade),
        grade=grade,
        ungraded=rng.random(size) < 0.001,
        new=np.ones(size, dtype=bool),
        z=empty,
        tardy_z=empty.copy(),
        unexcused_z=empty.copy(),
        risk=empty.copy(),
        suspension_risk=empty.copy(),
    )


def assign_traits(cohort: Cohort, seats: np.ndarray, traits: Traits) -> None:
    """Give the students now in ``seats`` their drawn traits."""
    cohort.z[seats] = traits.z
    cohort.tardy_z[seats] = traits.tardy_z
    cohort.unexcused_z[seats] = traits.unexcused_z
    cohort.risk[seats] = traits.risk
    cohort.suspension_risk[seats] = traits.suspension_risk


__all__ = ["STUDENT_COLUMNS", "UG", "Cohort", "Traits", "draw_students", "new_cohort"]
