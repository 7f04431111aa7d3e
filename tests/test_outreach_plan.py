"""Who outreach writes to, households, exclusions and the holdout (docs/outreach.md)."""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from command import rollcall
from outreach_world import AS_OF, SYNTH_AS_OF, small_district, synthetic_district

from rollcall.api import outreach_plan
from rollcall.errors import PolicyError
from rollcall.outreach import holdout
from rollcall.outreach.contacts import household_ids, language_code, read_contacts
from rollcall.outreach.plan import plan_round
from rollcall.outreach.rules import OutreachRules, load_rules


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_district(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small_plan(small: Path):
    return outreach_plan(small, as_of=AS_OF, seed=7).plan


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_district(tmp_path_factory.mktemp("synthetic"))


def _contacts(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["_file"] = "students.csv"
    frame["_line"] = range(2, len(rows) + 2)
    return frame


def test_students_without_a_household_id_share_one_by_email_then_phone_then_address() -> None:
    contacts, _ = read_contacts(_contacts([
        {"student_id": "a", "guardian_email": "Pat@Example.org"},
        {"student_id": "b", "guardian_email": "pat@example.org"},
        {"student_id": "c", "guardian_phone": "(555) 010-1234"},
        {"student_id": "d", "guardian_phone": "555.010.1234"},
        {"student_id": "e", "address_line1": "1 Oak St", "city": "Salem", "postal_code": "9"},
        {"student_id": "f", "address_line1": "1  oak st", "city": "SALEM", "postal_code": "9"},
        {"student_id": "g", "guardian_email": "other@example.org"},
        {"student_id": "h", "household_id": "H9", "guardian_email": "pat@example.org"},
    ]))  # fmt: skip
    homes = household_ids(contacts)
    assert homes["a"] == homes["b"] == "auto-a"
    assert homes["c"] == homes["d"] == "auto-c"
    assert homes["e"] == homes["f"] == "auto-e"
    assert homes["g"] == "auto-g"
    assert homes["h"] == "H9"  # a given household_id is kept as it is


def test_a_value_that_cannot_be_read_is_named_by_file_line_and_column() -> None:
    contacts, problems = read_contacts(_contacts([
        {"student_id": "a", "opt_out": "maybe", "absence_documented": "", "guardian_email": "x"},
        {"student_id": "b", "opt_out": "no", "absence_documented": "flu"},
    ]))  # fmt: skip
    found = {(p.student_id, p.line, p.column, p.value) for p in problems}
    assert found == {("a", 2, "opt_out", "maybe"), ("a", 2, "guardian_email", "x"),
                     ("b", 3, "absence_documented", "flu")}  # fmt: skip
    assert contacts["a"].opted_out  # unreadable: left out, as if opted out
    assert contacts["a"].email == ""
    assert not contacts["b"].opted_out


def test_language_codes_from_codes_regional_codes_and_names() -> None:
    assert [language_code(v) for v in ("es", "ES", "es-MX", "Spanish", "", None, "vi")] == [
        "es", "es", "es", "es", "en", "en", "vi"]  # fmt: skip


def test_eligible_by_band_and_left_out_by_opt_out_and_documented_absence(small_plan) -> None:
    assigned = {a.student_id: a for a in small_plan.assignments}
    # s3 is satisfactory; s4's family opted out; s5's absences are documented as medical.
    assert sorted(assigned) == ["s1", "s2", "s6", "s7"]
    reasons = {e.student_id: e.reason for e in small_plan.exclusions}
    assert reasons == {"s4": "the family opted out", "s5": "absences documented as medical"}
    assert assigned["s1"].household_id == assigned["s2"].household_id == "h1"
    assert assigned["s6"].household_id == assigned["s7"].household_id == "auto-s6"
    # The household's stratum is its lead student's (the larger share absent): s1, severe.
    assert assigned["s2"].stratum == "A|3-5|severe"
    assert assigned["s1"].arm == assigned["s2"].arm


@pytest.mark.slow
def test_rules_choose_the_bands(small: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[outreach]\nbands = ["severe"]\n')
    found = outreach_plan(small, as_of=AS_OF, seed=7, rules_file=rules).plan
    assert [a.student_id for a in found.assignments] == ["s1"]


def test_a_rules_file_with_a_bad_key_or_value_is_refused_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('[outreach]\nbandz = ["severe"]\n')
    with pytest.raises(PolicyError, match="unknown key 'bandz'"):
        load_rules(bad)
    bad.write_text('[outreach]\nbands = ["chronic"]\n')
    with pytest.raises(PolicyError, match=r"rules.toml: bands may hold .*'chronic'"):
        load_rules(bad)
    bad.write_text("[outreach]\nholdout = 1.5\n")
    with pytest.raises(PolicyError, match="holdout must be a share"):
        load_rules(bad)


def test_minimum_detectable_effect_by_hand() -> None:
    # sd of (0.1, 0.2, 0.3, 0.4) with n - 1: 0.1290994; n p (1 - p) = 4 × 0.2 × 0.8 = 0.64;
    # (1.959964 + 0.841621) × 0.1290994 / 0.8 = 0.4521039.
    found = holdout.detectable_effect(np.array([0.1, 0.2, 0.3, 0.4]), share=0.2)
    assert found is not None
    assert found.effect == pytest.approx(0.4521039, abs=1e-6)
    assert holdout.detectable_effect(np.array([0.1]), share=0.2) is None


def test_each_stratum_holds_out_within_one_household_of_the_share() -> None:
    households = pd.DataFrame({
        "household_id": [f"h{i}" for i in range(230)],
        "stratum": ["a"] * 100 + ["b"] * 33 + ["c"] * 97,
    })  # fmt: skip
    arms = holdout.assign(households, share=0.2, seed=5)
    for name, size in (("a", 100), ("b", 33), ("c", 97)):
        ids = households.loc[households["stratum"] == name, "household_id"]
        held = int((arms[ids] == "holdout").sum())
        assert math.floor(0.2 * size) <= held <= math.ceil(0.2 * size)
    assert arms.equals(holdout.assign(households, share=0.2, seed=5))
    assert not arms.equals(holdout.assign(households, share=0.2, seed=6))


def test_grade_bands() -> None:
    assert [holdout.grade_band(g) for g in ("PK", "K", "2", "3", "8", "9", "12", "UG")] == [
        "PK-2", "PK-2", "PK-2", "3-5", "6-8", "9-12", "9-12", "UG"]  # fmt: skip


@pytest.mark.slow
def test_the_command_writes_assignments_and_prints_the_detectable_effect(
    small: Path, tmp_path: Path
) -> None:
    ran = rollcall("outreach", "plan", str(small), "--as-of", AS_OF.isoformat(),
                   "--seed", "7", "--out", str(tmp_path))  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Minimum detectable effect:" in ran.stdout
    assert "s1" not in ran.stdout  # counts only, never a student
    with (tmp_path / "assignments.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["student_id"] for r in rows) == ["s1", "s2", "s6", "s7"]
    assert set(rows[0]) == {"student_id", "household_id", "school_id", "arm", "stratum"}


@pytest.mark.slow
def test_the_command_names_a_bad_rules_file(small: Path, tmp_path: Path) -> None:
    (tmp_path / "r.toml").write_text("[outreach]\nselect = 'mood'\n")
    ran = rollcall("outreach", "plan", str(small), "--as-of", AS_OF.isoformat(), "--seed", "1",
                   "--out", str(tmp_path / "o"), "--rules", str(tmp_path / "r.toml"))  # fmt: skip
    assert ran.returncode == 2
    assert "r.toml: select must be one of band, tier" in ran.stderr


@pytest.mark.slow
def test_synthetic_district_same_seed_same_assignments_and_no_household_split(
    synthetic: Path,
) -> None:
    first = outreach_plan(synthetic, as_of=SYNTH_AS_OF, seed=11).plan
    again = outreach_plan(synthetic, as_of=SYNTH_AS_OF, seed=11).plan
    other = outreach_plan(synthetic, as_of=SYNTH_AS_OF, seed=12).plan
    assert first.assignments == again.assignments
    assert first.assignments != other.assignments
    arms = defaultdict(set)
    for a in first.assignments:
        arms[a.household_id].add(a.arm)
    assert all(len(found) == 1 for found in arms.values())
    # About 20% of households held out in every stratum of 20 or more students.
    students = Counter(a.stratum for a in first.assignments)
    homes: dict[str, dict[str, str]] = defaultdict(dict)
    for a in first.assignments:
        homes[a.stratum][a.household_id] = a.arm
    big = [s for s, n in students.items() if n >= 20]
    assert big
    for name in big:
        held = sum(arm == "holdout" for arm in homes[name].values())
        assert abs(held - 0.2 * len(homes[name])) <= 1, name
    reasons = Counter(e.reason for e in first.exclusions)
    assert reasons["the family opted out"] > 0
    assert reasons["absences documented as medical"] > 0
    assert first.detectable is not None and 0 < first.detectable.effect < 0.1


@pytest.mark.slow
def test_select_by_early_warning_tier(synthetic: Path) -> None:
    rules = OutreachRules(select="tier", tiers=("intensive",))
    from rollcall.outreach.plan import plan_round

    found = plan_round(synthetic, as_of=SYNTH_AS_OF, seed=1, rules=rules)
    assert found.assignments
    assert len(found.assignments) < len(outreach_plan(synthetic, as_of=SYNTH_AS_OF, seed=1)
                                        .plan.assignments)  # fmt: skip


def test_a_round_of_some_schools_is_the_whole_inputs_plan_there(synthetic: Path) -> None:
    """The platform plans a school's round (``schools``): the same households and arms as the
    whole input's plan has there (each stratum, one school's, draws alone), the exclusions of
    that school only, and the detectable effect of its own households."""
    whole = plan_round(synthetic, as_of=SYNTH_AS_OF, seed=5, rules=OutreachRules())
    lead_school = {a.household_id: a.stratum.split("|")[0] for a in whole.assignments}
    school = sorted(set(lead_school.values()))[0]
    part = plan_round(synthetic, as_of=SYNTH_AS_OF, seed=5, rules=OutreachRules(),
                      schools={school})  # fmt: skip
    assert part.assignments == [a for a in whole.assignments
                                if lead_school[a.household_id] == school]  # fmt: skip
    assert 0 < len(part.assignments) < len(whole.assignments)
    assert part.exclusions == [e for e in whole.exclusions if e.school_id == school]
    assert part.detectable is not None and whole.detectable is not None
    assert part.detectable.households == len({a.household_id for a in part.assignments})
    assert plan_round(synthetic, as_of=SYNTH_AS_OF, seed=5, rules=OutreachRules(),
                      schools={"no such school"}).assignments == []  # fmt: skip
