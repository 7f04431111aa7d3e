"""How many queries the busiest pages make: a number that does not grow with the students of a
school or the refreshes kept (bench/platform_bench.py measures their time; no timing here)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from web_world import FIRST, SECOND, account

from rollcall.levels import DISTRICT, SCHOOL

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(account(username))
    return client


def test_the_latest_snapshots_are_one_query_with_the_newest_of_each_district(
    django_assert_num_queries,
):
    from rollcall.web import scope

    with django_assert_num_queries(1):
        latest = list(scope.latest_snapshots())
    assert sorted((s.district.district_id, s.period_end) for s in latest) == [
        ("A", SECOND),
        ("B", SECOND),
    ]


def test_a_later_refresh_of_the_same_date_is_the_latest():
    from rollcall.web import scope
    from rollcall.web.snapshots.models import Snapshot

    again = Snapshot.objects.get(district__district_id="A", period_end=SECOND)
    again.pk = None  # a second refresh as of the same date, made after the first
    again.save()
    assert again in scope.latest_snapshots()
    assert scope.latest_snapshots().filter(district__district_id="A").count() == 1


@pytest.mark.parametrize("level", [SCHOOL, DISTRICT])
def test_a_list_takes_five_queries_however_many_students(level, django_assert_num_queries):
    from rollcall.web.front.lists import latest_snapshot, list_rows, previous_snapshot
    from rollcall.web.snapshots.models import StudentMetric

    snapshot = latest_snapshot(account("district").memberships.get().district_id)
    previous = previous_snapshot(snapshot)
    assert snapshot is not None and previous is not None and previous.period_end == FIRST
    metrics = StudentMetric.objects.filter(snapshot=snapshot, level=level)
    # The rows now, the same units' rows before, and the early warning's flags, the number
    # scored at each school and the schools (their caseloads).
    with django_assert_num_queries(5):
        rows = list_rows(metrics, previous, level=level)
    assert len(rows) == metrics.count() > 1
    assert any(r.previous_band is not None for r in rows)


def test_the_school_list_page_makes_a_fixed_number_of_queries(django_assert_num_queries):
    client = signed_in("principal")
    url = reverse("school-students", args=["A", "A1"])
    # The session and the user, the school in scope, the latest and previous refreshes, the five
    # of the list's rows, and the audit event: none of them per student.
    with django_assert_num_queries(11):
        assert client.get(url, {"view": "worse"}).status_code == 200


def test_the_student_page_makes_a_fixed_number_of_queries(django_assert_num_queries):
    client = signed_in("principal")
    # The session and the user, the student in scope, the roles (which fields to hide), the
    # history, the plans, whether a plan may be started, the latest refresh, whether it holds
    # days, the calendars and the student's days, the contacts, the early warning's flags, the
    # number scored at each school and the schools, the family outreach rounds (two more when
    # there are any: tests/test_web_outreach.py), and the audit event.
    with django_assert_num_queries(17):  # however many refreshes the student has
        assert client.get(reverse("student", args=["A", "s1"])).status_code == 200
