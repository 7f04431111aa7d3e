"""The synthetic state: districts, their schools, and who goes where.

About one district per 7,500 students (at least two), with sizes drawn from a long-tailed
(lognormal) distribution, as real states have one or two very large districts and many small ones.
Each district has high schools (grades 9–12), middle schools (6–8), elementary schools (K–5, some
with PK, and TK in some districts) and sometimes K–8 schools, sized around 1,000, 650 and 420
students. Each district has its own mix of race and ethnicity and of economic disadvantage, and each
district and school its own absence level, so that gaps between places are real too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rollcall.grades import GRADES
from rollcall.synth import names

STUDENTS_PER_DISTRICT = 7_500
GRADE_COUNT = 15  # PK, TK, K, 1..12; UG (index 15) is a flag on a student, not a school grade
PK, TK, K = 0, 1, 2
UG = GRADES.index("UG")


def grade_index(grade: int | str) -> int:
    """The index in ``GRADES`` of a grade code: ``grade_index(6) == 8``."""
    return GRADES.index(str(grade))


ELEMENTARY, MIDDLE, HIGH, K8 = 0, 1, 2, 3
SCHOOL_KINDS = ("elementary", "middle", "high", "k8")
SPANS = {
    ELEMENTARY: (K, grade_index(5)),
    MIDDLE: (grade_index(6), grade_index(8)),
    HIGH: (grade_index(9), grade_index(12)),
    K8: (K, grade_index(8)),
}

RACES: tuple[str, ...] = (
    "White",
    "Hispanic or Latino",
    "Black or African American",
    "Asian",
    "Two or More Races",
    "American Indian or Alaska Native",
    "Native Hawaiian or Pacific Islander",
)
RACE_SHARE = np.array([0.44, 0.29, 0.15, 0.055, 0.045, 0.012, 0.008])

# The share of a state's students in each grade (PK, TK, K, 1..12), before a district's schools
# narrow it down: fewer in PK and TK, a slight bulge in grade 9, fewer by grade 12.
GRADE_SHARE = np.array(
    [0.030, 0.020, 0.072, *([0.074] * 8), 0.080, 0.076, 0.072, 0.068], dtype=np.float64
)


@dataclass(frozen=True)
class State:
    """Districts and schools, as parallel arrays, with a sampler of schools by district and grade.

    ``school_cum`` holds, for each (district, grade) key ``k = district * 15 + grade`` in order, the
    cumulative enrollment shares of the schools serving it, offset by ``k``: a school is drawn for
    key ``k`` by searching ``k + u`` for a uniform ``u``.
    """

    district_ids: tuple[str, ...]
    district_names: tuple[str, ...]
    district_share: np.ndarray
    district_effect: np.ndarray
    race_cum: np.ndarray
    econ_logit: np.ndarray
    grade_cum: np.ndarray
    school_ids: tuple[str, ...]
    school_names: tuple[str, ...]
    school_district: np.ndarray
    school_kind: np.ndarray
    school_effect: np.ndarray
    serves: np.ndarray
    school_cum: np.ndarray
    school_of_cum: np.ndarray

    @property
    def districts(self) -> int:
        return len(self.district_ids)

    @property
    def schools(self) -> int:
        return len(self.school_ids)

    def has_school(self, district: np.ndarray, grade: np.ndarray) -> np.ndarray:
        """Whether the district has a school serving the grade."""
        return self.grade_cum[district, grade] > np.where(
            grade > 0, self.grade_cum[district, np.maximum(grade - 1, 0)], 0.0
        )

    def pick_school(
        self, rng: np.random.Generator, district: np.ndarray, grade: np.ndarray
    ) -> np.ndarray:
        """A school serving each (district, grade), in proportion to school size."""
        keys = district.astype(np.float64) * GRADE_COUNT + grade
        found = np.searchsorted(self.school_cum, keys + rng.random(len(keys)) * 0.999999)
        return self.school_of_cum[np.minimum(found, len(self.school_cum) - 1)]

    def pick_district(self, rng: np.random.Generator, count: int) -> np.ndarray:
        cum = np.cumsum(self.district_share)
        found = np.searchsorted(cum, rng.random(count) * cum[-1], side="right")
        return np.minimum(found, self.districts - 1).astype(np.int32)

    def pick_grade(self, rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
        """A grade for a new student of each district, among the grades it teaches."""
        below = self.grade_cum[district] < rng.random(len(district))[:, None]
        return np.minimum(below.sum(axis=1), GRADE_COUNT - 1).astype(np.int8)


def _district_names(rng: np.random.Generator, count: int) -> list[str]:
    places = [names.PLACES[i] for i in rng.permutation(len(names.PLACES))]
    result = []
    for i in range(count):
        place = places[i % len(places)] + names.PLACE_SUFFIXES[(i // len(places)) % 16]
        if i >= len(places) * len(names.PLACE_SUFFIXES):
            place += f" {i // (len(places) * len(names.PLACE_SUFFIXES)) + 1}"
        result.append(f"{place} {names.DISTRICT_KINDS[int(rng.integers(0, 6))]}")
    return result


def _district_schools(rng: np.random.Generator, expected: float, has_tk: bool) -> list[tuple]:
    """(kind, offers PK, size) for each school of a district expecting ``expected`` students."""
    high = max(1, round(expected * 0.30 / 1000))
    middle = max(1, round(expected * 0.23 / 650))
    elementary = max(1, round(expected * 0.47 / 420))
    k8 = 0
    if elementary >= 2 and rng.random() < 0.35:
        k8 = max(1, int(rng.binomial(elementary, 0.15)))
        elementary -= k8
    kinds = [HIGH] * high + [MIDDLE] * middle + [ELEMENTARY] * elementary + [K8] * k8
    sizes = rng.lognormal(0.0, 0.4, len(kinds))
    offers_pk = rng.random(len(kinds)) < 0.45
    offers_pk[high + middle] = True  # at least one school with PK
    return [
        (kind, bool(pk) and kind in (ELEMENTARY, K8), has_tk and bool(pk), float(size))
        for kind, pk, size in zip(kinds, offers_pk, sizes, strict=True)
    ]


def build_state(students: int, rng: np.random.Generator) -> State:
    """Draw the districts and schools for a state of about ``students`` students."""
    count = max(2, round(students / STUDENTS_PER_DISTRICT))
    share = rng.lognormal(0.0, 1.1, count)
    share /= share.sum()
    district_names = _district_names(rng, count)
    race = rng.dirichlet(RACE_SHARE / RACE_SHARE.sum() * 6.0, size=count)
    race_cum = np.cumsum(race, axis=1)
    race_cum[:, -1] = 1.0
    school_rows: list[tuple[int, int, bool, bool, float]] = []
    for d in range(count):
        for kind, pk, tk, size in _district_schools(rng, share[d] * students, rng.random() < 0.3):
            school_rows.append((d, kind, pk, tk, size))
    school_district = np.array([row[0] for row in school_rows], dtype=np.int32)
    school_kind = np.array([row[1] for row in school_rows], dtype=np.int8)
    serves = np.zeros((len(school_rows), GRADE_COUNT), dtype=bool)
    for s, (_, kind, pk, tk, _) in enumerate(school_rows):
        low, high = SPANS[kind]
        serves[s, low : high + 1] = True
        serves[s, PK] = pk
        serves[s, TK] = tk
    size = np.array([row[4] for row in school_rows])
    served = np.zeros((count, GRADE_COUNT), dtype=bool)
    np.logical_or.at(served, school_district, serves)
    grade_share = np.where(served, GRADE_SHARE, 0.0)
    grade_cum = np.cumsum(grade_share / grade_share.sum(axis=1, keepdims=True), axis=1)
    grade_cum[:, -1] = 1.0
    school_cum, school_of_cum = _school_sampler(school_district, serves, size)
    school_ids, school_names = _school_labels(rng, school_district, school_kind)
    return State(
        district_ids=tuple(str(100000 + d + 1) for d in range(count)),
        district_names=tuple(district_names),
        district_share=share,
        district_effect=rng.lognormal(0.0, 0.15, count).astype(np.float32),
        race_cum=race_cum,
        econ_logit=rng.normal(-0.2, 0.9, count),
        grade_cum=grade_cum,
        school_ids=school_ids,
        school_names=school_names,
        school_district=school_district,
        school_kind=school_kind,
        school_effect=rng.lognormal(0.0, 0.2, len(school_rows)).astype(np.float32),
        serves=serves,
        school_cum=school_cum,
        school_of_cum=school_of_cum,
    )


def _school_sampler(
    school_district: np.ndarray, serves: np.ndarray, size: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    school, grade = np.nonzero(serves)
    keys = school_district[school].astype(np.int64) * GRADE_COUNT + grade
    order = np.lexsort((school, keys))
    keys, school = keys[order], school[order]
    weight = size[school]
    starts = np.flatnonzero(np.diff(keys, prepend=-1))
    lengths = np.diff(np.append(starts, len(keys)))
    running = np.cumsum(weight)
    within = running - np.repeat(running[starts] - weight[starts], lengths)
    cum = keys + within / np.repeat(within[starts + lengths - 1], lengths)
    cum[starts + lengths - 1] = keys[starts + lengths - 1] + 1.0
    return cum, school.astype(np.int32)


def _school_labels(
    rng: np.random.Generator, school_district: np.ndarray, school_kind: np.ndarray
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ids: list[str] = []
    labels: list[str] = []
    stems = names.SCHOOL_STEMS
    number = 0
    for s, (d, kind) in enumerate(zip(school_district.tolist(), school_kind.tolist(), strict=True)):
        number = 0 if s == 0 or school_district[s - 1] != d else number + 1
        if number == 0:
            order = rng.permutation(len(stems))
        ids.append(f"{100000 + d + 1}{number + 1:04d}")
        stem = stems[order[number % len(stems)]]
        if number >= len(stems):
            stem += f" {number // len(stems) + 1}"
        kinds = names.SCHOOL_KIND_NAMES[SCHOOL_KINDS[kind]]
        labels.append(f"{stem} {kinds[int(rng.integers(0, len(kinds)))]}")
    return tuple(ids), tuple(labels)
