"""The platform's pages and what stands behind them: refreshes stored as snapshots, lists by
band with the new and the worsening, exports, the audit trail, sign-in throttling, settings.

The world (tests/web_world.py) is refreshed twice through the real engine; the numbers below are
worked out by hand from its attendance."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from web_world import FIRST, PASSWORD, SECOND, account

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(account(username))  # signing in itself: the tests of sign-in below
    return client


def metric(student_id: str, level: str, unit_id: str, as_of):
    from rollcall.web.snapshots.models import StudentMetric

    return StudentMetric.objects.get(
        student__student_id=student_id, level=level, unit_id=unit_id, snapshot__period_end=as_of
    )


def test_each_refresh_is_a_snapshot_of_each_district():
    from rollcall.web.snapshots.models import Snapshot

    ends = sorted(
        (s.district.district_id, s.period_end) for s in Snapshot.objects.select_related("district")
    )
    assert ends == [("A", FIRST), ("A", SECOND), ("B", FIRST), ("B", SECOND)]


def test_the_stored_bands_are_the_engines_worked_by_hand():
    # s1: 2 of 20 days (10%: moderate), then 8 of 40 (20%: severe).
    first, second = metric("s1", "school", "A1", FIRST), metric("s1", "school", "A1", SECOND)
    assert (first.days_enrolled, first.days_absent, first.tier) == (20, Decimal(2), "moderate")
    assert (second.days_enrolled, second.days_absent, second.tier) == (40, Decimal(8), "severe")
    assert second.absence_rate == Decimal("0.2") and second.chronically_absent is True
    # s3: 5 excused of 20 (25%), then 5 excused and a suspension of 40 (15%).
    s3 = metric("s3", "school", "A2", SECOND)
    assert (s3.days_absent, s3.days_excused, s3.days_suspension, s3.tier) == (
        Decimal(6),
        Decimal(5),
        Decimal(1),
        "moderate",
    )
    # s5 moved from A1 to A2 after 10 days: a row at each school and one for the district.
    assert metric("s5", "school", "A1", SECOND).days_enrolled == 10
    assert metric("s5", "school", "A2", SECOND).days_enrolled == 30
    assert metric("s5", "district", "A", SECOND).days_enrolled == 40


def test_the_school_page_shows_the_stored_summary():
    page = signed_in("principal").get(reverse("school", args=["A", "A1"])).content.decode()
    # At the second refresh A1 counts s1 (severe), s2 and s5 (10 days, none missed): 3 eligible,
    # 1 chronically absent (33.3%).
    assert "Alder Elementary" in page
    assert '<span class="number">3</span>' in page and "33.3%" in page


def test_the_list_shows_who_is_new_to_a_band_and_who_is_getting_worse():
    client = signed_in("district")
    url = reverse("school-students", args=["A", "A1"])
    new = client.get(url, {"view": "new"}).content.decode()
    worse = client.get(url, {"view": "worse"}).content.decode()
    everyone = client.get(url).content.decode()
    assert "Ana Lopez" in new and "Ben Okafor" not in new  # moderate → severe; s2 unchanged
    assert "Ana Lopez" in worse and "Ben Okafor" not in worse
    assert "Ana Lopez" in everyone and "Ben Okafor" in everyone
    severe = client.get(url, {"band": "severe"}).content.decode()
    assert "Ana Lopez" in severe and "Ben Okafor" not in severe


def test_a_student_getting_better_is_not_worse():
    page = (
        signed_in("team")
        .get(reverse("school-students", args=["A", "A2"]), {"view": "worse"})
        .content.decode()
    )
    assert "Chen" not in page  # s3: 25% then 15%


def test_the_csv_export_neutralises_formulas_and_is_audited():
    from rollcall.web.audit.models import AuditEvent

    response = signed_in("team").get(reverse("school-students-csv", args=["A", "A2"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="students-A2-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (chen,) = [r for r in rows if r["student_id"] == "s3"]
    assert chen["name"] == '\'=HYPERLINK("http://x") Chen'
    assert chen["band"] == "moderate" and chen["previous_band"] == "severe"
    event = AuditEvent.objects.filter(action="export").latest("at")
    assert (event.username, event.what, event.object_id) == ("team", "student list", "A/A2")


def test_reading_a_student_is_recorded_and_the_record_cannot_be_changed():
    from rollcall.web.audit.models import AuditEvent

    signed_in("teacher").get(reverse("student", args=["A", "s1"]))
    event = AuditEvent.objects.filter(what="student").latest("at")
    assert (event.username, event.action, event.object_id) == ("teacher", "view", "A/s1")
    assert event.address == "127.0.0.1"
    event.detail = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_student_page_shows_the_band_at_each_refresh():
    page = signed_in("teacher").get(reverse("student", args=["A", "s1"])).content.decode()
    assert "Ana Lopez" in page
    assert "Moderate chronic absence" in page and "Severe chronic absence" in page
    assert date_format(FIRST) in page and date_format(SECOND) in page


def test_sign_in_waits_after_five_failures():
    client = Client()
    for _ in range(settings.LOGIN_ATTEMPTS):
        response = client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
        assert response.status_code == 200 and "Please enter a correct" in response.content.decode()
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_refuses_a_post_without_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 403


def test_settings_are_safe_by_default():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"
    key = settings.DATA / "secret_key"
    assert key.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert key.read_text().strip() == settings.SECRET_KEY


def test_a_missing_page_is_a_plain_404_without_a_traceback():
    response = signed_in("principal").get("/schools/A/NOPE/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    ("text", "shown"), [("0.155844", "15.6%"), ("≤5%", "≤5%"), ("", "—"), ("1", "100.0%")]
)
def test_a_published_rate_shows_as_a_percentage_or_as_printed(text, shown):
    from django.utils import translation

    from rollcall.web.front.templatetags.rollcall import published_rate

    # Numbers follow the page's language: a request in Spanish before this one leaves Spanish
    # active in the thread, so say which language this is about.
    with translation.override("en"):
        assert published_rate(text) == shown


@pytest.mark.parametrize(
    ("previous", "now", "new", "better"),
    [
        ("satisfactory", "at_risk", True, False),  # moved up: reach them first
        (None, "at_risk", True, False),  # in a band for the first time
        ("moderate", "at_risk", False, True),  # moved down: progress
        ("at_risk", "at_risk", False, False),
        ("severe", None, False, False),  # not eligible now
    ],
)
def test_new_means_a_higher_band_and_better_a_lower_one(previous, now, new, better):
    from rollcall.web.front.lists import ListRow

    row = ListRow("s", "A", "S", "5", 20, Decimal(1), None, now, previous, None)
    assert (row.new_to_band, row.better_band) == (new, better)


def test_the_list_shows_who_moved_to_a_lower_band():
    # s3 at A2: 5 of 20 days (25%, severe), then 6 of 40 (15%, moderate).
    client = signed_in("team")
    better = client.get("/schools/A/A2/students/?view=better").content.decode()
    new = client.get("/schools/A/A2/students/?view=new").content.decode()
    assert "Chen" in better and "Chen" not in new


def test_a_long_list_shows_a_page_at_a_time_and_keeps_its_filters(monkeypatch):
    from rollcall.web.front import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)  # the world's schools are small
    client = signed_in("principal")
    # A1 at the second refresh: s1 (20%), s2 (none) and s5 (none, left after 10 days).
    first = client.get("/schools/A/A1/students/?sort=rate").content.decode()
    assert "3 students: 1 to 1 below" in first and "Page 1 of 3" in first
    assert "Ana Lopez" in first and "Ben Okafor" not in first
    assert 'href="?sort=rate&amp;page=2">Next page</a>' in first
    second = client.get("/schools/A/A1/students/?sort=rate&page=2").content.decode()
    assert "Page 2 of 3" in second and "Ana Lopez" not in second and "Previous page" in second
    beyond = client.get("/schools/A/A1/students/?sort=rate&page=99").content.decode()
    assert "Page 3 of 3" in beyond  # past the end: the last page, not an error
    csv_rows = client.get("/schools/A/A1/students.csv?sort=rate").content.decode().splitlines()
    assert len(csv_rows) == 1 + 3  # the export holds every row
