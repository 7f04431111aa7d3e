"""``rollcall serve --demo``'s district (rollcall/web/demo.py): one account per role where its
role holds, support plans at the principal's school for the follow-through to show, and a change
idea the district added to its network's library."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SCOPE_TESTED: set[str] = set()  # no page of its own


def test_the_demo_has_an_account_per_role_and_plans_to_follow_through(tmp_path):
    from rollcall.web.demo import ACCOUNTS, DEMO_PASSWORD, EARLY_PLANS, load_demo
    from rollcall.web.front.lists import latest_snapshot, previous_snapshot
    from rollcall.web.people.models import Membership
    from rollcall.web.plans.followthrough import follow_through
    from rollcall.web.plans.models import SupportPlan

    demo = load_demo(tmp_path, students=400, say=lambda _: None)
    assert demo.district.snapshots.count() == 2  # two refreshes (the test world is there too)
    roles = dict(
        Membership.objects.filter(user__username__startswith="demo-").values_list(
            "user__username", "role"
        )
    )
    assert roles == {name: role.value for name, role in ACCOUNTS.items()}
    client = Client()
    assert client.login(username="demo-principal", password=DEMO_PASSWORD)
    plans = SupportPlan.objects.filter(student__metrics__school=demo.school).distinct()
    assert plans.filter(end_date__isnull=False).count() == EARLY_PLANS
    assert plans.filter(end_date=None).exists()  # started after the second refresh
    latest = latest_snapshot(demo.district.pk)
    shown = follow_through(demo.school, latest, previous_snapshot(latest), latest.period_end)
    assert shown.around.plans == EARLY_PLANS  # each with four weeks of data after its start
    assert shown.with_plan >= 1
    # The district's staff added what the welcome calls taught to the network's library, with
    # the two cycles that tested them (unless a synthetic name is in the text: then nothing).
    from rollcall.web.improve.demo import LIBRARY_IDEA
    from rollcall.web.improve.library import library

    network = demo.district.networks.get()
    (added,) = [i for i in library(network) if i.name == LIBRARY_IDEA]
    assert (added.tier, added.source) == (2, demo.district.name)
    assert added.tested.count("PDSA ") == 2
    staff = Client()
    assert staff.login(username="demo-district", password=DEMO_PASSWORD)
    assert staff.get(f"/networks/{network.pk}/").status_code == 200
    again = load_demo(tmp_path, say=lambda _: None)  # a second start only reports the demo
    assert (again.school, again.snapshots) == (demo.school, demo.snapshots)
