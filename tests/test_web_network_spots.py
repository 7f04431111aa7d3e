"""District-level bright spots on the network page (rollcall/web/improve/network.py): each member
district against the network's other members in the same weeks, from the district-level weekly
measures of each one's latest refresh; a network of one district has no peers and says so."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from web_world import account

pytestmark = pytest.mark.django_db

MONDAYS = [date(2024, 9, 2) + timedelta(weeks=k) for k in range(36)]


def season(week: int) -> float:
    """Absence rises through winter and falls in spring: +40% at its peak in week 18."""
    return 1 + 0.4 * math.sin(math.pi * week / 35)


def network():
    from rollcall.web.people.models import Network

    return Network.objects.get(name="Network")


def district(district_id: str, name: str = ""):
    from rollcall.web.people.models import District

    found, _ = District.objects.get_or_create(
        district_id=district_id, defaults={"name": name or f"District {district_id}"}
    )
    return found


# Each district's week-to-week noise, known: A's alternates (2% under, 2% over), B's and C's
# follow cycles of three and four weeks.
NOISE = {
    "A": lambda k: 1 + 0.02 * (1 if k % 2 else -1),
    "B": lambda k: 1 + 0.015 * (k % 3 - 1),
    "C": lambda k: 1 + 0.01 * (k % 4 - 1.5),
}


def refresh_weeks(district_id: str, rate, *, days: int = 20_000) -> None:
    """A newer refresh of the district holding 36 district-level weeks: ``days`` student-days
    each, absent at ``rate(week)`` times the district's ``NOISE``."""
    from rollcall.web.snapshots.models import Snapshot, WeeklyMeasure

    snapshot = Snapshot.objects.create(
        district=district(district_id), school_year="2024-25", policy="attendance-works",
        period_start=MONDAYS[0], period_end=date(2031, 6, 13), source="test",
    )  # fmt: skip
    for k, monday in enumerate(MONDAYS):
        noise = NOISE[district_id](k)
        WeeklyMeasure.objects.create(
            snapshot=snapshot, level="district", unit_id=district_id, week_start=monday,
            week_end=monday + timedelta(days=4), student_days=days,
            days_absent=round(days * rate(k) * noise, 2), eligible=4000, chronically_absent=400,
        )  # fmt: skip


def usual(k: int) -> float:
    return 0.07 * season(k)


def better_from_week_26(k: int) -> float:
    """A third less absence than the season would give, from week 26 (ten weeks: a shift)."""
    return 0.07 * season(k) * (0.66 if k >= 26 else 1)


def coach_page() -> str:
    client = Client()
    client.force_login(account("coach"))
    return client.get(reverse("network", args=[network().pk])).content.decode()


def test_a_member_district_improving_against_the_others_is_a_bright_spot():
    from rollcall.web.improve.network import bright_spots, districts_compared

    for district_id in ("B", "C"):
        network().districts.add(district(district_id))
    refresh_weeks("A", better_from_week_26)
    refresh_weeks("B", usual)
    refresh_weeks("C", lambda k: 0.06 * season(k))  # lower, but following the others
    found = [f for f in bright_spots(network()) if f.spot.level == "district"]
    assert [(f.spot.unit_id, f.spot.unit_name) for f in found] == [("A", "Ash District")]
    assert found[0].spot.since == MONDAYS[26].isoformat() and "shift" in found[0].spot.signal
    assert found[0].district.district_id == "A"
    assert districts_compared(network()) == 3
    page = coach_page()
    assert (
        f"District <strong>Ash District</strong>: six weeks or more below its usual level, "
        f"since the week of {MONDAYS[26].isoformat()}"
    ) in page
    assert "no other member to be compared with" not in page


def test_districts_that_follow_the_others_are_not_bright_spots():
    from rollcall.web.improve.network import bright_spots

    for district_id in ("B", "C"):
        network().districts.add(district(district_id))
    refresh_weeks("A", usual)
    refresh_weeks("B", lambda k: 0.05 * season(k))
    refresh_weeks("C", lambda k: 0.09 * season(k))
    assert [f for f in bright_spots(network()) if f.spot.level == "district"] == []
    assert "No bright spot in the latest refreshes." in coach_page()


def test_a_district_is_compared_in_the_weeks_of_its_own_latest_refresh():
    """An earlier refresh of a member, with the improvement, is not read: the latest is."""
    from rollcall.web.improve.network import bright_spots
    from rollcall.web.snapshots.models import Snapshot

    network().districts.add(district("B"))
    refresh_weeks("A", better_from_week_26)
    refresh_weeks("B", usual)
    assert [f.spot.unit_id for f in bright_spots(network()) if f.spot.level == "district"] == ["A"]
    newer = Snapshot.objects.create(
        district=district("A"), school_year="2024-25", policy="attendance-works",
        period_start=MONDAYS[0], period_end=date(2032, 6, 13), source="test",
    )  # fmt: skip
    assert newer.weeks.count() == 0  # a refresh without weeks: nothing to compare
    assert [f for f in bright_spots(network()) if f.spot.level == "district"] == []


def test_a_network_of_one_district_has_no_peers_and_says_so():
    from rollcall.web.improve.network import bright_spots, districts_compared

    assert list(network().districts.values_list("district_id", flat=True)) == ["A"]
    refresh_weeks("A", better_from_week_26)  # an improvement, but against nobody
    assert [f for f in bright_spots(network()) if f.spot.level == "district"] == []
    assert districts_compared(network()) == 1
    page = coach_page()
    assert "a district has no other member to be compared with" in page


def test_a_district_spot_lists_the_change_ideas_of_the_districts_shared_projects():
    from rollcall.web.improve.models import Project, Share
    from rollcall.web.improve.network import bright_spots

    network().districts.add(district("B"))
    refresh_weeks("A", better_from_week_26)
    refresh_weeks("B", usual)
    whole = Project.objects.create(
        district=district("A"), name="Every day counts", for_whom="every student", baseline=20,
        target=15, by_when=date(2025, 6, 13),
    )  # fmt: skip
    summary = {"cycles": [{"idea": "Attendance nudges by text"}]}
    Share.objects.create(project=whole, network=network(), summary=summary)
    (found,) = [f for f in bright_spots(network()) if f.spot.level == "district"]
    assert found.ideas == ("Attendance nudges by text",)


def test_the_page_shows_no_count_and_no_student_of_another_district():
    network().districts.add(district("B", "Beech District"))
    refresh_weeks("A", usual)
    refresh_weeks("B", better_from_week_26)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", coach_page())
    assert "District <strong>Beech District</strong>" in page
    bright = page.split('id="bright-spots"')[1].split('id="shared"')[0]
    assert not re.search(r"\d{3,}", re.sub(r"\d{4}-\d\d-\d\d", "", bright))  # dates, no count
    for private in ("Dara", "Kim", "s4", "/students/"):
        assert private not in page
