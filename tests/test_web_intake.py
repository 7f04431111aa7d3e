"""Refreshing from the browser (rollcall/web/intake): who may, the form's refusals, a real
refresh of an upload, a server path and an Ed-Fi pull through the job runner, progress and a
job whose process died, and the runner in a process of its own.

The job runner runs in-process here (``jobs.launch`` is replaced by ``jobs.run``) so that it
sees the test's transaction; the last test starts the real process, on a SQLite data folder
of its own (a process cannot see a test's uncommitted rows, nor an in-memory database)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from canonical import write_canonical
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from edfi_server import KEY, SECRET, FakeOds, serve
from outputs import absences, calendar_rows, school_days
from test_web_serve import own_sqlite
from web_world import ANONYMOUS, ROLES, account, assert_scoped

from rollcall.web.intake import jobs

pytestmark = pytest.mark.django_db

EVERYONE = tuple(ROLES)
DAYS = school_days(30)
AS_OF = DAYS[24]
SCOPE_TESTED = {"refresh", "refresh-job", "refresh-job-status"}


def client_for(username: str) -> Client:
    client = Client()
    if username != ANONYMOUS:
        client.force_login(account(username))
    return client


def write_ash(folder: Path, *, broken: bool = False) -> Path:
    """District A (Ash) alone: school A1, s1 missing 3 of 25 days by AS_OF (12%: moderate) and
    s2 none. With ``broken``, a quoted value in attendance.csv is never closed."""
    folder = write_canonical(
        folder,
        schools=[{"school_id": "A1", "school_name": "Alder Elementary", "district_id": "A",
                  "district_name": "Ash District"}],
        students=[{"student_id": "s1", "first_name": "Ana", "last_name": "Lopez"},
                  {"student_id": "s2", "first_name": "Ben", "last_name": "Okafor"}],
        enrollments=[{"student_id": s, "school_id": "A1", "grade": "5",
                      "entry_date": DAYS[0].isoformat(), "exit_date": ""} for s in ("s1", "s2")],
        calendar=calendar_rows("A1", DAYS),
        attendance=absences("s1", "A1", DAYS[2:5]),
    )  # fmt: skip
    if broken:
        with (folder / "attendance.csv").open("a", encoding="utf-8") as out:
            out.write('s2,A1,"2024-09-03,unexcused,\n')
    return folder


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"export/{path.name}")
    return buffer.getvalue()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def form(**fields) -> dict[str, object]:
    return {"district": district_pk("A"), "source": "upload", "policy": "attendance-works",
            "as_of": AS_OF.isoformat(), **fields}  # fmt: skip


def district_pk(district_id: str) -> int:
    from rollcall.web.people.models import District

    return District.objects.get(district_id=district_id).pk


@pytest.fixture
def inline(monkeypatch):
    """Jobs run in the request, in the test's transaction; the secrets they were given kept."""
    given: list[dict[str, str]] = []

    def launch(job, secret):
        given.append(dict(secret))
        jobs.run(job.pk, secret=secret)

    monkeypatch.setattr(jobs, "launch", launch)
    return given


@pytest.fixture
def imports(settings, tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    settings.REFRESH_IMPORTS = folder
    settings.REFRESH_WORK = tmp_path / "intake"
    settings.REFRESH_KEPT = tmp_path / "inputs"
    return folder


def job_of(district_id: str, **fields):
    """A job of the district, made directly (not through the form)."""
    from rollcall.web.intake.models import RefreshJob
    from rollcall.web.people.models import District

    defaults = {"source_kind": "path", "source_label": "export", "options": {"policy": "x"}}
    district = District.objects.get(district_id=district_id)
    return RefreshJob.objects.create(district=district, **(defaults | fields))


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", (*EVERYONE, ANONYMOUS))
def test_only_the_district_administrator_sees_the_refresh_form(username):
    assert_scoped(client_for(username).get(reverse("refresh")), username, {"admin"})


@pytest.mark.parametrize("username", (*EVERYONE, ANONYMOUS))
def test_no_one_else_may_start_a_refresh(username, inline, imports):
    from rollcall.web.intake.models import RefreshJob

    write_ash(imports / "ash")
    response = client_for(username).post(reverse("refresh"), form(source="path", path="ash"))
    if username == "admin":
        assert response.status_code == 302 and RefreshJob.objects.count() == 1
    else:
        assert response.status_code in (302, 404) and RefreshJob.objects.count() == 0
        assert response.status_code == 404 or "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", (*EVERYONE, ANONYMOUS))
@pytest.mark.parametrize("name", ["refresh-job", "refresh-job-status"])
def test_a_job_shows_only_to_its_districts_administrators(username, name):
    for district, allowed in (("A", {"admin"}), ("B", set())):
        response = client_for(username).get(reverse(name, args=[job_of(district).pk]))
        assert_scoped(response, username, allowed)
    assert client_for("admin").get(reverse(name, args=[999999])).status_code == 404


def test_the_home_page_links_the_administrator_to_the_refresh():
    assert 'href="/refresh/"' in client_for("admin").get("/").content.decode()
    assert 'href="/refresh/"' not in client_for("district").get("/").content.decode()


# --- the form's refusals --------------------------------------------------------------------


def refused(fields: dict[str, object], status: int = 400) -> str:
    from rollcall.web.intake.models import RefreshJob

    response = client_for("admin").post(reverse("refresh"), fields)
    assert response.status_code == status
    assert RefreshJob.objects.count() == 0
    return response.content.decode()


@pytest.mark.parametrize(
    ("as_of", "says"),
    [("2025-13-45", "Enter a date such as 2025-10-31."), ("31/10/2025", "Enter a date such as"),
     ((timezone.localdate() + timedelta(days=2)).isoformat(), "after today")],
)  # fmt: skip
def test_a_bad_as_of_date_is_refused(as_of, says, inline, imports):
    write_ash(imports / "ash")
    assert says in refused(form(source="path", path="ash", as_of=as_of))


def test_a_bad_school_year_is_refused(inline, imports):
    write_ash(imports / "ash")
    assert "like 2025-26" in refused(form(source="path", path="ash", year="2025-27"))


@pytest.mark.parametrize(
    ("path", "says"),
    [("/etc", "is outside the import folder"), ("../secret", "may not contain “..”"),
     ("ash/../../x", "may not contain “..”"), ("nothing-here", "There is no file or folder"),
     ("", "Name a folder or file")],
)  # fmt: skip
def test_a_path_outside_the_import_folder_is_refused(path, says, inline, imports):
    write_ash(imports / "ash")
    assert says in refused(form(source="path", path=path))


def test_a_symbolic_link_out_of_the_import_folder_is_refused(inline, imports, tmp_path):
    outside = write_ash(tmp_path / "outside")
    (imports / "link").symlink_to(outside)
    assert "leads outside the import folder" in refused(form(source="path", path="link"))
    (imports / "folder").mkdir()
    (imports / "folder" / "attendance.csv").symlink_to(outside / "attendance.csv")
    page = refused(form(source="path", path="folder"))
    assert "folder/attendance.csv leads outside the import folder" in page


def test_an_upload_over_the_limit_is_refused_while_it_arrives(inline, imports, settings):
    settings.REFRESH_UPLOAD_MAX_BYTES = 100_000
    page = refused(form(upload=upload("big.csv", b"x" * 300_000)), status=413)
    assert "larger than the limit" in page
    assert not list(Path(settings.REFRESH_WORK).glob("*/upload/*"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(inline, imports):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("attendance.csv", b"0" * (8 * 1024**2))  # about 8 kB compressed
    page = refused(form(upload=upload("bomb.zip", buffer.getvalue())))
    assert "attendance.csv would expand" in page and "more than the limit of 100 times" in page


def test_a_zip_climbing_out_of_its_folder_is_refused(inline, imports):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.csv", b"a,b\n")
    assert "a path outside the archive" in refused(form(upload=upload("x.zip", buffer.getvalue())))


def test_an_upload_that_is_not_an_input_is_refused(inline, imports):
    assert "is not a file rollcall reads" in refused(form(upload=upload("photo.png", b"\x89PNG")))
    assert "is not a zip archive" in refused(form(upload=upload("x.zip", b"plain text")))
    assert "Choose the file to upload" in refused(form())


def test_an_edfi_pull_needs_https_a_key_and_a_secret(inline, imports):
    page = refused(form(source="edfi", edfi_url="http://edfi.example.org/api", edfi_key="k"))
    assert "beginning with https://" in page and "key and secret" in page


# --- refreshing -------------------------------------------------------------------------------


@pytest.mark.slow  # a whole refresh with its early warning: make test runs it
def test_an_uploaded_zip_is_refreshed_into_a_new_snapshot(inline, imports, settings, tmp_path):
    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.snapshots.models import Snapshot, StudentMetric

    archive = zipped(write_ash(tmp_path / "ash"))
    client = client_for("admin")
    response = client.post(reverse("refresh"), form(upload=upload("ash export.zip", archive)))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Done." in page and "reading the input" in page and "storing the snapshot" in page
    snapshot = Snapshot.objects.get(district__district_id="A", period_end=AS_OF)
    s1 = StudentMetric.objects.get(snapshot=snapshot, level="school", student__student_id="s1")
    assert (s1.days_enrolled, s1.days_absent, s1.tier) == (25, 3, "moderate")
    assert 'href="/schools/A/A1/"' in page and "Alder Elementary" in page
    assert "attendance.csv" in page and '<td class="num">3</td>' in page  # read, accepted
    event = AuditEvent.objects.get(action="refresh")
    assert event.username == "admin" and event.object_id == "A"
    assert "upload: ash_export.zip" in event.detail
    assert not any(Path(settings.REFRESH_WORK).iterdir())  # nothing left in the work folder
    # The input of the district's latest snapshot is kept where outreach reads it, and only it:
    # in a folder named by the district's key (its data id is text from the input).
    # (The world's own snapshots of A run later than AS_OF: this one is not A's latest, so its
    # input was not kept.) A refresh of the whole year is the latest, and its input is kept.
    kept = Path(settings.REFRESH_KEPT) / f"district-{snapshot.district.pk}"
    assert not Path(snapshot.source).exists()
    again = client.post(reverse("refresh"), form(upload=upload("ash.zip", archive), as_of=""))
    assert again.status_code == 302
    latest = Snapshot.objects.filter(district__district_id="A").order_by("-period_end").first()
    assert latest.pk != snapshot.pk and Path(latest.source).is_relative_to(kept)
    assert (Path(latest.source) / "attendance.csv").exists()
    assert [p.name for p in kept.iterdir()] == [Path(latest.source).relative_to(kept).parts[0]]
    # A refresh of an earlier date, ending after it, keeps the latest snapshot's input.
    earlier = form(upload=upload("ash.zip", archive), as_of=DAYS[10].isoformat())
    assert client.post(reverse("refresh"), earlier).status_code == 302
    assert Path(latest.source).exists()
    assert [p.name for p in kept.iterdir()] == [Path(latest.source).relative_to(kept).parts[0]]


@pytest.mark.slow  # a whole refresh with its early warning: make test runs it
def test_a_path_in_the_import_folder_is_refreshed_and_kept(inline, imports):
    write_ash(imports / "nightly" / "2024-09-27")
    response = client_for("admin").post(
        reverse("refresh"), form(source="path", path="nightly/2024-09-27", as_of="")
    )
    job = jobs_of("A").get()
    assert job.status == "done", job.error
    assert job.source_label == "nightly/2024-09-27" and response.status_code == 302
    assert (imports / "nightly" / "2024-09-27" / "attendance.csv").exists()


def jobs_of(district_id: str):
    from rollcall.web.intake.models import RefreshJob

    return RefreshJob.objects.filter(district__district_id=district_id)


def test_an_unreadable_file_fails_with_the_readers_words(inline, imports, tmp_path):
    archive = zipped(write_ash(tmp_path / "ash", broken=True))
    client_for("admin").post(reverse("refresh"), form(upload=upload("ash.zip", archive)))
    job = jobs_of("A").get()
    assert job.status == "failed"
    # The file as the user knows it (no server folder), its line and column.
    assert job.error.startswith("export/attendance.csv, line 5, column"), job.error
    assert "never closed" in job.error and str(imports.parent) not in job.error
    page = client_for("admin").get(reverse("refresh-job", args=[job.pk])).content.decode()
    assert "What went wrong" in page and "Traceback" not in page


def test_an_input_holding_another_district_is_refused_and_nothing_stored(inline, imports):
    from web_world import write_world

    from rollcall.web.snapshots.models import Snapshot

    before = Snapshot.objects.count()
    write_world(imports / "world")
    client_for("admin").post(reverse("refresh"), form(source="path", path="world"))
    job = jobs_of("A").get()
    assert job.status == "failed" and "Beech District (B)" in job.error
    assert Snapshot.objects.count() == before


@pytest.mark.slow  # a whole refresh with its early warning: make test runs it
def test_an_edfi_pull_is_refreshed_and_its_secret_kept_nowhere(inline, imports, settings):
    from test_edfi_api import district

    from rollcall.web.audit.models import AuditEvent
    from rollcall.web.people.models import District, Membership

    settings.REFRESH_EDFI_ALLOW_INSECURE = True
    ods = FakeOds()
    server, thread = serve(ods)
    try:
        district(ods)
        lea = {"localEducationAgencyId": 900}
        ods.add("schools", {"id": "sch", "schoolId": "A", "nameOfInstitution": "Adams",
                            "localEducationAgencyReference": lea})  # fmt: skip
        grand = District.objects.create(district_id="900", name="Grand")
        Membership.objects.create(user=account("admin"), role="district_admin", district=grand)
        fields = form(source="edfi", edfi_url=ods.url, edfi_key=KEY, edfi_secret=SECRET,
                      district=grand.pk, as_of="2024-09-20")  # fmt: skip
        response = client_for("admin").post(reverse("refresh"), fields)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert inline == [{"key": KEY, "secret": SECRET}]  # handed to the runner, and only there
    job = jobs_of("900").get()
    assert job.status == "done", job.error
    assert job.source_label == ods.url and job.snapshots.count() == 1
    stored = json.dumps([job.options, job.notes, job.error, job.source_label, job.counts])
    trail = " ".join(AuditEvent.objects.values_list("detail", flat=True))
    assert SECRET not in stored and SECRET not in trail and KEY not in stored
    page = client_for("admin").get(response["Location"]).content.decode()
    assert SECRET not in page and "studentSchoolAttendanceEvents.jsonl" in page


# --- progress -------------------------------------------------------------------------------


def test_a_waiting_job_shows_its_progress_without_reloading_itself():
    job = job_of("A")
    client = client_for("admin")
    page = client.get(reverse("refresh-job", args=[job.pk])).content.decode()
    assert 'role="status" aria-live="polite"' in page and "Waiting to start." in page
    assert "Check again" in page and "refresh.js" in page
    assert 'http-equiv="refresh"' not in page
    status = client.get(reverse("refresh-job-status", args=[job.pk])).json()
    assert status == {"status": "waiting", "finished": False, "text": "Waiting to start."}


def test_a_running_job_says_its_step_and_each_steps_time():
    job = job_of("A")
    jobs.step(job, "reading", status="running")
    jobs.step(job, "computing")
    client = client_for("admin")
    status = client.get(reverse("refresh-job-status", args=[job.pk])).json()
    assert status["text"] == "Running: computing (step 2 of 3)."
    page = client.get(reverse("refresh-job", args=[job.pk])).content.decode()
    assert "reading the input" in page and "0 seconds" in page


def test_a_job_whose_process_died_shows_as_failed_after_a_while():
    from rollcall.web.intake.models import STALE, RefreshJob

    job = job_of("A", status="running")
    RefreshJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - STALE - timedelta(seconds=1)
    )
    page = client_for("admin").get(reverse("refresh-job", args=[job.pk])).content.decode()
    assert "The refresh stopped without finishing" in page
    assert RefreshJob.objects.get(pk=job.pk).status == "failed"
    fresh = job_of("A", status="running", heartbeat_at=timezone.now())
    status = client_for("admin").get(reverse("refresh-job-status", args=[fresh.pk])).json()
    assert status["status"] == "running"


def test_a_failed_job_is_shown_in_spanish_too():
    job = job_of("A", status="failed", error=jobs.STOPPED)
    client = client_for("admin")
    client.cookies["django_language"] = "es"
    page = client.get(reverse("refresh-job", args=[job.pk])).content.decode()
    assert "Actualización de Ash District" in page and "The refresh stopped" not in page


# --- the real process -----------------------------------------------------------------------

RUN_IN_A_PROCESS = """
import json, sys, time
from pathlib import Path
from rollcall.web.server import prepare, setup
setup(Path(sys.argv[1]))
prepare(static=False)
from rollcall.web.intake import jobs
from rollcall.web.intake.models import RefreshJob
from rollcall.web.people.models import District
district = District.objects.create(district_id="A", name="Ash District")
job = RefreshJob.objects.create(district=district, source_kind="path", source_label="ash",
    options={"input": sys.argv[2], "policy": "attendance-works", "as_of": sys.argv[3]})
jobs.launch(job, {})
for _ in range(600):
    job.refresh_from_db()
    if job.finished:
        break
    time.sleep(0.2)
print(json.dumps({"status": job.status, "error": job.error, "steps": [s["step"] for s in job.steps],
                  "snapshots": job.snapshots.count(), "students": job.students}))
"""


@pytest.mark.slow
def test_the_runner_refreshes_in_a_process_of_its_own(tmp_path):
    source = write_ash(tmp_path / "ash")
    env = own_sqlite()
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).parent.parent), env.get("PYTHONPATH", "")]
    )
    done = subprocess.run(
        [sys.executable, "-c", RUN_IN_A_PROCESS, str(tmp_path / "data"), str(source),
         AS_OF.isoformat()],
        capture_output=True, text=True, check=False, env=env, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"status": "done", "error": "", "snapshots": 1, "students": 2,
                      "steps": ["reading", "computing", "storing"]}  # fmt: skip
