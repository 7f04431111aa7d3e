"""Family outreach in the platform (rollcall/web/outreach): who may see and act on each page,
planning from the library, preview, approval, sending (dry run, SMTP, text messages) never twice,
the student page's record, the evaluation, and the families' contact records.

The world (tests/web_world.py) at its latest refresh: at school A2, s3 (grade 7, moderate) and
s5 (grade 6, at risk) are eligible, each a household of their own (the input has no contact
columns) in a stratum of their own; at A1, s1 (severe). ``SEED`` is a seed under which, holding
out half, s3's household gets the letter and s5's is held out: found with the library's own
draw (``holdout.assign``), not assumed.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pandas as pd
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from test_outreach_send import smtp_server  # noqa: F401 (a fixture)
from test_web_plans import DISTRICT_A, EVERYONE, client_for, student
from web_world import ANONYMOUS, account, assert_scoped

from rollcall.outreach.holdout import assign

pytestmark = pytest.mark.django_db
SHARE = 0.5
WINDOW_END = date(2024, 12, 20)
STRATA = {"auto-s3": "A2|6-8|moderate", "auto-s5": "A2|6-8|at_risk"}


def _seed() -> int:
    leads = pd.DataFrame({"household_id": list(STRATA), "stratum": list(STRATA.values())})
    for seed in range(100):
        arms = assign(leads, share=SHARE, seed=seed)
        if arms["auto-s3"] == "message" and arms["auto-s5"] == "holdout":
            return seed
    raise AssertionError("no seed in 0-99 splits the two households")


SEED = _seed()


def school(school_id: str):
    from rollcall.web.people.models import School

    return School.objects.get(school_id=school_id)


def plan_a2(seed: int = SEED, user: str | None = "team"):
    from rollcall.web.outreach import planning

    request = planning.Request(seed=seed, holdout=SHARE, window_end=WINDOW_END)
    return planning.plan(school("A2"), request, user=account(user) if user else None)


@pytest.fixture(scope="module")
def planned(django_db_setup, django_db_blocker):
    """One round of A2 (s3's family gets a letter, s5's is held out), kept for the module's
    tests of who may see what; removed after them."""
    from rollcall.web.outreach.files import round_folder
    from rollcall.web.outreach.models import Round

    with django_db_blocker.unblock():
        found = plan_a2(user=None)
    yield found.pk
    with django_db_blocker.unblock():
        Round.objects.filter(pk=found.pk).delete()
    shutil.rmtree(round_folder(found), ignore_errors=True)


A1 = {"district_id": "A", "school_id": "A1"}
A2 = {"district_id": "A", "school_id": "A2"}
B1 = {"district_id": "B", "school_id": "B1"}
A2_TEAM = {"team", *DISTRICT_A}
# URL name → (arguments, the accounts that may; every other signed-in account gets a 404).
PAGES = {
    "outreach": [
        (A1, {"principal", *DISTRICT_A}),
        (A2, A2_TEAM),
        (B1, {"other-principal"}),
        ({"district_id": "A", "school_id": "NOPE"}, set()),
    ],
    "outreach-round": [({}, A2_TEAM), ({"pk": 999999}, set())],
    "outreach-letter": [
        ({"household_id": "auto-s3"}, A2_TEAM),
        ({"household_id": "auto-s5"}, set()),
    ],  # held out: no letter
    "outreach-letters": [({}, A2_TEAM)],
}
ACTIONS = ("outreach-approve", "outreach-send", "outreach-evaluate")
SCOPE_TESTED = {*PAGES, *ACTIONS}


def url(name: str, arguments: dict[str, object], pk: int) -> str:
    if name == "outreach":
        return reverse(name, kwargs=arguments)
    return reverse(name, kwargs={"pk": pk, **arguments})


@pytest.mark.parametrize(
    ("name", "index", "username"),
    [(n, i, u) for n, cases in PAGES.items() for i in range(len(cases))
     for u in (*EVERYONE, ANONYMOUS)],
)  # fmt: skip
def test_each_outreach_page_shows_only_to_the_schools_team_and_district(
    name, index, username, planned
):
    arguments, allowed = PAGES[name][index]
    response = client_for(username).get(url(name, arguments, planned))
    assert_scoped(response, username, allowed)
    if name == "outreach-letters" and username in allowed:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("username", [*EVERYONE, ANONYMOUS])
def test_only_the_schools_team_and_district_act_on_a_round(name, username, planned):
    from rollcall.web.outreach.models import Round, Send

    response = client_for(username).post(reverse(name, args=[planned]), {"really": "yes"})
    assert_scoped(response, username, A2_TEAM, success=302)
    found = Round.objects.get(pk=planned)
    if username not in A2_TEAM:  # nothing happened
        assert found.approved_at is None and found.evaluation is None
        assert not Send.objects.filter(round=found).exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_take_a_post_only_and_a_get_says_nothing_of_the_round(name, planned):
    for username in ("team", "principal"):  # in scope, and not: the same answer
        response = client_for(username).get(reverse(name, args=[planned]))
        assert response.status_code == 405


def test_a_school_team_plans_a_round_from_the_library_and_it_is_audited():
    from rollcall.outreach.plan import plan_round
    from rollcall.outreach.rules import OutreachRules
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.outreach.models import Assignment, Household, Round

    team = client_for("team")
    page = team.get(reverse("outreach", kwargs=A2))
    assert page.status_code == 200 and "Plan a round" in page.content.decode()
    form = {"seed": SEED, "holdout": 50, "window_end": WINDOW_END.isoformat()}
    before = set(Round.objects.values_list("pk", flat=True))  # (the module's round, if made)
    response = team.post(reverse("outreach", kwargs=A2), form)
    found = Round.objects.exclude(pk__in=before).get()
    assert response.status_code == 302 and response["Location"] == f"/outreach/{found.pk}/"
    expected = (len(before) + 1, SEED, 0.5, found.snapshot.period_end)
    assert (found.number, found.seed, found.holdout, found.as_of) == expected
    assert found.window_start == found.as_of + timedelta(days=1)
    assert found.created_by == account("team") and found.approved_at is None
    # The library's plan of the same input, seed and share, restricted to A2: the same arms.
    library = plan_round(found.source, as_of=found.as_of, seed=SEED,
                         rules=OutreachRules(holdout=0.5), schools={"A2"})  # fmt: skip
    stored = {(a.student.student_id, a.household_id, a.arm, a.stratum)
              for a in Assignment.objects.filter(round=found)}  # fmt: skip
    assert stored == {(a.student_id, a.household_id, a.arm, a.stratum)
                      for a in library.assignments}  # fmt: skip
    assert stored == {("s3", "auto-s3", "message", STRATA["auto-s3"]),
                      ("s5", "auto-s5", "holdout", STRATA["auto-s5"])}  # fmt: skip
    assert list(Household.objects.filter(round=found).values_list("household_id", "language")) \
        == [("auto-s3", "en")]  # fmt: skip
    event = AuditEvent.objects.get(action="change", what="outreach round")
    assert event.username == "team" and event.object_id == str(found.pk)
    # The next round has the next number.
    team.post(reverse("outreach", kwargs=A2), form)
    assert sorted(Round.objects.values_list("number", flat=True)) == list(range(1, len(before)
                                                                                + 3))  # fmt: skip


def test_the_round_page_and_the_letter_preview_show_the_families_and_escape_their_data():
    found = plan_a2()
    team = client_for("team")
    page = team.get(reverse("outreach-round", args=[found.pk])).content.decode()
    assert "draft" not in page or "Approve the round" in page
    assert "Approve the round" in page and "families in the comparison group" in page
    assert "Letter to auto-s3" in page and "auto-s5" not in page  # the holdout has no letter
    letter = team.get(reverse("outreach-letter", args=[found.pk, "auto-s3"])).content.decode()
    # s3's first name is a spreadsheet formula: shown as text, never as markup.
    assert "has missed 6 days of school this year, out of 40 school days so far" in letter
    assert '<section class="letter" lang="en">' in letter
    assert 'HYPERLINK("http' not in letter and "HYPERLINK(&#34;http://x&#34;)" in letter


def test_a_round_is_sent_only_once_approved_and_approval_is_recorded_once():
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.outreach.models import Round, Send

    found = plan_a2()
    team = client_for("team")
    response = team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    assert response.status_code == 302 and not Send.objects.exists()
    page = team.get(response["Location"]).content.decode()
    assert "Approve the round before sending it." in page
    district = client_for("district")
    district.post(reverse("outreach-approve", args=[found.pk]))
    team.post(reverse("outreach-approve", args=[found.pk]))  # already approved: no change
    found = Round.objects.get(pk=found.pk)
    assert found.approved_by == account("district") and found.approved_at is not None
    approvals = AuditEvent.objects.filter(what="outreach round", detail="approved")
    assert list(approvals.values_list("username", flat=True)) == ["district"]
    page = team.get(reverse("outreach-round", args=[found.pk])).content.decode()
    assert "by district" in page and "Approve the round</button>" not in page


@pytest.fixture
def channels(settings, smtp_server, tmp_path):  # noqa: F811
    """E-mail through Django's SMTP back end to a local server; text messages to a file."""
    controller, inbox = smtp_server
    settings.OUTREACH_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.DEFAULT_FROM_EMAIL = "attendance@ash.example.org"
    settings.OUTREACH_SMS_FILE = str(tmp_path / "sms.jsonl")
    return inbox, tmp_path / "sms.jsonl"


def test_sending_dry_run_by_default_then_once_by_email_and_text_never_twice(channels):
    from rollcall.web.families.models import Contact
    from rollcall.web.outreach.models import Send

    inbox, sms_file = channels
    Contact.objects.create(student=student("A", "s3"), name="Rosa Chen", email="rosa@example.org",
                           phone="555-0100", language="Spanish")  # fmt: skip
    found = plan_a2()
    team = client_for("team")
    team.post(reverse("outreach-approve", args=[found.pk]))
    # A dry run (the default): nothing sent, what would be recorded.
    team.post(reverse("outreach-send", args=[found.pk]))
    assert inbox.messages == [] and not sms_file.exists()
    assert sorted(Send.objects.values_list("channel", "status", "dry_run")) == [
        ("email", "would send", True), ("sms", "would send", True)]  # fmt: skip
    # For real: one e-mail, one text, in the family's language (from the contact record).
    team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    assert len(inbox.messages) == 1
    sender, to, content = inbox.messages[0]
    assert (sender, to) == ("attendance@ash.example.org", ["rosa@example.org"])
    assert "Estimada familia" in content or "Rosa Chen" in content
    assert len(sms_file.read_text(encoding="utf-8").splitlines()) == 1
    # Again: nothing more goes out; the skips are recorded.
    team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    assert len(inbox.messages) == 1
    assert len(sms_file.read_text(encoding="utf-8").splitlines()) == 1
    real = Send.objects.filter(dry_run=False)
    assert sorted(real.values_list("channel", "status")) == [
        ("email", "sent"), ("email", "skipped"), ("sms", "sent"), ("sms", "skipped")]  # fmt: skip
    assert set(real.filter(status="sent").values_list("household_id", flat=True)) == {"auto-s3"}
    # The database refuses a second "sent" for a household and channel in a round.
    with pytest.raises(IntegrityError), transaction.atomic():
        first = real.get(channel="email", status="sent")
        Send.objects.create(round=found, household_id="auto-s3", channel="email",
                            status="sent", at=first.at, dry_run=False)  # fmt: skip
    page = team.get(reverse("outreach-round", args=[found.pk])).content.decode()
    assert "email: sent" in page and "sms: sent" in page and "2 messages sent so far." in page
    assert "Spanish" in page


def test_a_failed_send_is_recorded_and_can_be_tried_again(settings):
    from rollcall.web.families.models import Contact
    from rollcall.web.outreach.models import Send

    settings.OUTREACH_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    Contact.objects.create(student=student("A", "s3"), name="Rosa", email="rosa@example.org")
    found = plan_a2()
    team = client_for("team")
    team.post(reverse("outreach-approve", args=[found.pk]))
    team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    assert list(Send.objects.values_list("status", flat=True)) == ["failed", "failed"]
    assert "ConnectionRefusedError" in Send.objects.first().detail


def test_the_students_page_records_the_letter_and_the_comparison_group(channels):
    from rollcall.web.families.models import Contact

    Contact.objects.create(student=student("A", "s3"), name="Rosa", email="rosa@example.org",
                           language="es")  # fmt: skip
    found = plan_a2()
    team = client_for("team")
    s3, s5 = reverse("student", args=["A", "s3"]), reverse("student", args=["A", "s5"])
    # A draft round is on no student's page.
    assert "Family outreach" not in team.get(s3).content.decode()
    team.post(reverse("outreach-approve", args=[found.pk]))
    page = team.get(s3).content.decode()
    n = found.number
    assert "Printed letter in Spanish approved on" in page and f"(round {n})" in page
    team.post(reverse("outreach-send", args=[found.pk]), {"really": "yes"})
    day = found.sends.get(status="sent").at.date().isoformat()
    expected = f"Letter sent on {day} in Spanish (round {n})."
    assert expected in team.get(s3).content.decode()
    held = team.get(s5).content.decode()
    assert f"In the comparison group (no letter this round) (round {n})." in held
    assert "Chosen at random" in held
    # The partner sees s3 (their caseload) and so its record; s5 is not theirs: not found.
    assert expected in client_for("partner").get(s3).content.decode()
    assert client_for("partner").get(s5).status_code == 404
    assert client_for("coach").get(s3).status_code == 404
    # In Spanish.
    spanish = client_for("team")
    spanish.cookies["django_language"] = "es"
    assert "En el grupo de comparación" in spanish.get(s5).content.decode()
    assert f"Carta enviada el {day} en Español (ronda {n})." in spanish.get(s3).content.decode()


def test_a_familys_may_contact_off_leaves_it_out_and_contacts_fill_the_inputs_blanks():
    from rollcall.web.families.models import Contact
    from rollcall.web.outreach.contacts import with_platform_contacts
    from rollcall.web.outreach.models import Assignment

    s3 = student("A", "s3")
    Contact.objects.create(student=s3, name="Old", email="old@example.org", current=False)
    Contact.objects.create(student=s3, name="Rosa", phone="555-0100", language="Vietnamese")
    Contact.objects.create(student=student("A", "s5"), name="Li", may_contact=False)
    rows = pd.DataFrame([
        {"student_id": "s3", "guardian_name": None, "guardian_phone": "555-9999", "_file": "f",
         "_line": 2},
        {"student_id": "s5", "guardian_name": "Given", "_file": "f", "_line": 3},
        {"student_id": "s1", "guardian_name": None, "_file": "f", "_line": 4},
    ])  # fmt: skip
    out = with_platform_contacts(s3.district_id)(rows).set_index("student_id")
    # s3: the name and language from the current record; the input's phone kept.
    assert out.loc["s3", "guardian_name"] == "Rosa" and out.loc["s3", "home_language"] == \
        "Vietnamese" and out.loc["s3", "guardian_phone"] == "555-9999"  # fmt: skip
    assert pd.isna(out.loc["s3", "guardian_email"])  # not the old contact's
    assert out.loc["s5", "guardian_name"] == "Given" and out.loc["s5", "opt_out"] == "Y"
    assert pd.isna(out.loc["s1", "opt_out"]) and pd.isna(out.loc["s1", "guardian_name"])
    assert list(out["_line"]) == [2, 3, 4]
    # In a round: s5's family asked not to be sent messages.
    found = plan_a2()
    chosen = Assignment.objects.filter(round=found).values_list("student__student_id", flat=True)
    assert list(chosen) == ["s3"]
    households = found.households.values_list("household_id", "language", "family_language")
    assert list(households) == [("auto-s3", "en", "vi")]  # no Vietnamese template: English
    assert found.households.get().note.startswith("The family's language is Vietnamese")


def test_planning_says_why_it_cannot(settings):
    from rollcall.web.outreach.models import Round
    from rollcall.web.snapshots.models import Snapshot

    team = client_for("team")
    before = Round.objects.count()
    form = {"seed": 1, "holdout": 20, "window_end": "2024-01-01"}
    response = team.post(reverse("outreach", kwargs=A2), form)
    assert response.status_code == 400
    assert "must end after" in response.content.decode()
    bad = team.post(reverse("outreach", kwargs=A2), {**form, "holdout": 90})
    assert bad.status_code == 400 and "less than or equal to 50" in bad.content.decode()
    Snapshot.objects.filter(district__district_id="A").update(source="/nonexistent/input")
    gone = team.post(reverse("outreach", kwargs=A2), {**form, "window_end": "2025-06-01"})
    assert gone.status_code == 400
    assert "(/nonexistent/input) is no longer on the server" in gone.content.decode()
    assert Round.objects.count() == before


def test_the_evaluation_waits_for_the_window_and_a_newer_refresh_then_shows_the_summary():
    from rollcall.web.outreach import evaluating, planning
    from rollcall.web.snapshots.models import Snapshot

    snapshots = Snapshot.objects.filter(district__district_id="A").order_by("period_end")
    first, second = snapshots[0], snapshots[1]
    request = planning.Request(seed=SEED, holdout=SHARE, window_end=second.period_end)
    found = planning.plan_from(school("A2"), first, request, user=account("team"))
    later = second.period_end + timedelta(days=1)
    assert "approved" in evaluating.readiness(found, today=later).why
    planning.approve(found, user=account("team"))
    assert "ends on" in evaluating.readiness(found, today=second.period_end).why
    assert evaluating.readiness(found, today=later).snapshot == second
    # A round of the latest data waits for a newer refresh.
    newest = plan_a2()
    planning.approve(newest, user=account("team"))
    assert "Waiting for a refresh" in evaluating.readiness(newest, today=date(2030, 1, 1)).why
    team = client_for("team")
    page = team.get(reverse("outreach-round", args=[found.pk])).content.decode()
    assert "Evaluate the round</button>" in page
    team.post(reverse("outreach-evaluate", args=[found.pk]))
    found.refresh_from_db()
    assert found.evaluated_with == second
    # Two households: too few for an estimate, and the library's summary says so.
    assert found.evaluation["students"]["message"] + found.evaluation["students"]["holdout"] == 2
    assert found.evaluation["absence_rate"]["effect"] is None
    page = team.get(reverse("outreach-round", args=[found.pk])).content.decode()
    assert "Too few students were measured to estimate an effect" in page
    assert "too few students in a group to estimate" in page


def test_the_students_outreach_record_takes_the_same_queries_however_many_rounds():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rollcall.web.outreach import planning

    team = client_for("team")
    s3 = reverse("student", args=["A", "s3"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert team.get(s3).status_code == 200
        return len(captured)

    planning.approve(plan_a2(), user=account("team"))
    one = queries()
    planning.approve(plan_a2(), user=account("team"))
    page = team.get(s3).content.decode()
    assert page.count("Printed letter in English approved on") == 2
    assert queries() == one
