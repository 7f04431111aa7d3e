"""Pulling from an Ed-Fi ODS/API (rollcall/formats/edfi/api.py, pull.py) against a local
server that follows the published contract (tests/edfi_server.py): token, paging, throttling,
failures, auth errors, change versions; and reading the pulled folder."""

from __future__ import annotations

import json

import pytest
from command import rollcall
from edfi_server import KEY, SECRET, FakeOds, serve
from outputs import read_csv

from rollcall import api
from rollcall.errors import InputError, OptionError
from rollcall.formats.edfi.api import Credentials, EdfiApi, read_credentials
from rollcall.formats.edfi.pull import STATE, pull
from rollcall.formats.sources import Source

ENV = {"ROLLCALL_EDFI_KEY": KEY, "ROLLCALL_EDFI_SECRET": SECRET}
ATTENDANCE = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#"


def school_ref(school: str = "A") -> dict[str, object]:
    return {"schoolId": school}


def an_event(n: int, student: str, day: str, category: str, duration: float | None = None):
    record = {
        "id": f"ev{n}",
        "studentReference": {"studentUniqueId": student},
        "schoolReference": school_ref(),
        "sessionReference": {"schoolId": "A", "schoolYear": 2025, "sessionName": "Fall"},
        "eventDate": day,
        "attendanceEventCategoryDescriptor": ATTENDANCE + category,
    }
    if duration is not None:
        record["eventDuration"] = duration
    return record


def district(ods: FakeOds) -> FakeOds:
    """School A, three weeks of school less Labor Day (14 school days), s1 and s2 enrolled in
    fifth grade; s1 with demographics, s2 in special education."""
    ods.add("schools", {"id": "sch", "schoolId": "A", "nameOfInstitution": "Adams"})
    ods.add("sessions", {"id": "ses", "sessionName": "Fall", "schoolReference": school_ref(),
                         "schoolYearTypeReference": {"schoolYear": 2025},
                         "beginDate": "2024-09-02", "endDate": "2024-09-20",
                         "totalInstructionalDays": 14})  # fmt: skip
    ods.add("calendars", {"id": "cal", "calendarCode": "C1", "schoolReference": school_ref(),
                          "schoolYearTypeReference": {"schoolYear": 2025}})  # fmt: skip
    ods.add("calendarDates", {
        "id": "day", "date": "2024-09-02",
        "calendarReference": {"calendarCode": "C1", "schoolId": "A", "schoolYear": 2025},
        "calendarEvents": [{"calendarEventDescriptor":
                            "uri://ed-fi.org/CalendarEventDescriptor#Holiday"}],
    })  # fmt: skip
    for n, student in enumerate(("s1", "s2")):
        ods.add("students", {"id": f"stu{n}", "studentUniqueId": student, "firstName": "Private",
                             "lastSurname": "Person", "birthDate": "2014-01-01"})  # fmt: skip
        ods.add("studentSchoolAssociations", {
            "id": f"ssa{n}", "studentReference": {"studentUniqueId": student},
            "schoolReference": school_ref(), "entryDate": "2024-09-02",
            "entryGradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Fifth grade",
        })  # fmt: skip
    ods.add("studentEducationOrganizationAssociations", {
        "id": "seoa", "studentReference": {"studentUniqueId": "s1"},
        "educationOrganizationReference": {"educationOrganizationId": 900},
        "sexDescriptor": "uri://ed-fi.org/SexDescriptor#Female", "hispanicLatinoEthnicity": False,
        "races": [{"raceDescriptor": "uri://ed-fi.org/RaceDescriptor#Asian"}],
        "studentCharacteristics": [{"studentCharacteristicDescriptor":
                                    "uri://ed-fi.org/StudentCharacteristicDescriptor#Immigrant"}],
    })  # fmt: skip
    ods.add("studentSpecialEducationProgramAssociations", {
        "id": "sped", "studentReference": {"studentUniqueId": "s2"}, "beginDate": "2024-09-02",
    })  # fmt: skip
    ods.add(
        "studentSchoolAttendanceEvents", an_event(1, "s1", "2024-09-03", "Unexcused Absence", 0.5)
    )
    ods.add(
        "studentSchoolAttendanceEvents", an_event(2, "s1", "2024-09-04", "Excused Absence", 1.0)
    )
    ods.add("studentSchoolAttendanceEvents", an_event(3, "s2", "2024-09-05", "Tardy"))
    return ods


@pytest.fixture
def ods():
    fake = FakeOds()
    server, thread = serve(fake)
    yield district(fake)
    server.shutdown()
    server.server_close()
    thread.join()


class Waits(list):
    """Stands in for time.sleep: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.mark.slow
def test_a_pull_saves_each_resource_and_the_report_reads_it(ods, tmp_path):
    out = tmp_path / "pull"
    result = pull(ods.url, out, environ=ENV, allow_insecure=True, sleep=Waits())
    pulled = {p.resource: p for p in result.resources}
    assert pulled["studentSchoolAttendanceEvents"].records == 3
    assert pulled["calendarDates"].records == 1
    assert pulled["studentHomelessProgramAssociations"].records == 0
    assert result.change_version == ods.newest
    # Students are kept with their id only: no names, no birth dates.
    assert json.loads((out / "students.jsonl").read_text().splitlines()[0]) == {
        "id": "stu0", "studentUniqueId": "s1"}  # fmt: skip
    report = api.report(Source(out), tmp_path / "results")
    rows = {
        (r["level"], r["student_id"]): r
        for r in read_csv(tmp_path / "results" / "student_metrics.csv")
    }
    s1 = rows[("school", "s1")]
    assert (s1["days_enrolled"], s1["days_absent"], s1["days_unexcused"]) == ("14", "1.5", "0.5")
    assert rows[("school", "s2")]["days_absent"] == "0"
    assert report.counts["studentSchoolAttendanceEvents.jsonl (attendance)"].read == 3
    groups = {(r["level"], r["dimension"], r["group"]): r["eligible_students"]
              for r in read_csv(tmp_path / "results" / "summary.csv")}  # fmt: skip
    assert groups[("total", "sex", "Female")] == "1"
    assert groups[("total", "race_ethnicity", "Asian")] == "1"
    assert groups[("total", "immigrant", "Y")] == "1"
    assert groups[("total", "special_education", "Y")] == "1"


@pytest.mark.slow
def test_a_refused_record_points_at_its_line_and_json_field(ods, tmp_path):
    ods.add("studentSchoolAttendanceEvents", an_event(4, "s1", "2024-09-07", "Excused Absence"))
    out = tmp_path / "pull"
    pull(ods.url, out, environ=ENV, allow_insecure=True)
    api.report(Source(out), tmp_path / "results")
    rejects = read_csv(tmp_path / "results" / "rejects.csv")
    assert [(r["file"], r["line"], r["column"], r["reason"]) for r in rejects] == [
        ("studentSchoolAttendanceEvents.jsonl", "4", "eventDate", "not an instructional day")
    ]


@pytest.mark.slow
def test_pages_follow_offset_and_limit_and_total_count_is_asked_once(ods, tmp_path):
    for n in range(4, 8):
        ods.add("studentSchoolAttendanceEvents", an_event(n, "s2", f"2024-09-1{n}", "Tardy"))
    pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, page_size=3)
    asked = ods.data_requests("studentSchoolAttendanceEvents")
    assert [(p["offset"], p["limit"], p.get("totalCount")) for p in asked] == [
        ("0", "3", "true"), ("3", "3", None), ("6", "3", None)]  # fmt: skip
    lines = (tmp_path / "pull" / "studentSchoolAttendanceEvents.jsonl").read_text().splitlines()
    assert len(lines) == 7


def test_a_429_waits_as_long_as_retry_after_says_then_succeeds(ods, tmp_path):
    ods.fail["/data/v3/ed-fi/sessions"] = [(429, {"Retry-After": "7"})]
    waits = Waits()
    result = pull(
        ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, sleep=waits, backoff=0.5
    )
    assert waits == [7.0]
    assert {p.resource: p.records for p in result.resources}["sessions"] == 1


@pytest.mark.slow
def test_a_500_is_retried_after_a_growing_wait_then_succeeds(ods, tmp_path):
    ods.fail["/data/v3/ed-fi/schools"] = [(500, {}), (503, {})]
    waits = Waits()
    result = pull(
        ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, sleep=waits, backoff=0.5
    )
    assert waits == [0.5, 1.0]
    assert {p.resource: p.records for p in result.resources}["schools"] == 1


@pytest.mark.slow
def test_retries_give_up_with_a_clear_error(ods, tmp_path):
    ods.fail["/data/v3/ed-fi/schools"] = [(503, {})] * 5
    with pytest.raises(OptionError) as raised:
        pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, sleep=Waits())
    assert "kept answering HTTP 503" in str(raised.value) and "5 tries" in str(raised.value)


def test_a_bad_secret_says_what_to_check_and_never_shows_the_secret(ods, tmp_path):
    environ = {**ENV, "ROLLCALL_EDFI_SECRET": "not-the-secret"}
    with pytest.raises(OptionError) as raised:
        pull(ods.url, tmp_path / "pull", environ=environ, allow_insecure=True)
    text = str(raised.value) + (raised.value.hint or "")
    assert "refused the key and secret from the environment (HTTP 401" in text
    assert "ROLLCALL_EDFI_SECRET" in text
    assert "not-the-secret" not in text and KEY not in text


@pytest.mark.slow
def test_a_403_on_a_resource_rollcall_needs_stops_and_names_it(ods, tmp_path):
    ods.forbidden.add("studentSchoolAttendanceEvents")
    with pytest.raises(OptionError) as raised:
        pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True)
    assert "refused to give studentSchoolAttendanceEvents (HTTP 403" in str(raised.value)
    assert "claim set" in (raised.value.hint or "")


@pytest.mark.slow
def test_a_403_on_an_optional_resource_skips_it_and_says_so(ods, tmp_path):
    ods.forbidden.add("studentHomelessProgramAssociations")
    result = pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True)
    skipped = {p.resource: p.skipped for p in result.resources if p.skipped}
    assert skipped == {"studentHomelessProgramAssociations": "not authorized (HTTP 403)"}
    assert not (tmp_path / "pull" / "studentHomelessProgramAssociations.jsonl").exists()


@pytest.mark.slow
def test_a_revoked_token_is_renewed_once(ods, tmp_path):
    ods.revoke = True
    pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True)
    assert ods.issued == 2 and ods.tokens == ["token-2"]


@pytest.mark.slow
def test_an_incremental_pull_takes_only_changes_since_the_last_and_applies_deletes(ods, tmp_path):
    out = tmp_path / "pull"
    first = pull(ods.url, out, environ=ENV, allow_insecure=True)
    assert json.loads((out / STATE).read_text())["changeVersion"] == first.change_version
    ods.add("studentSchoolAttendanceEvents", an_event(2, "s1", "2024-09-04", "Unexcused Absence"))
    ods.add("studentSchoolAttendanceEvents", an_event(9, "s2", "2024-09-10", "Excused Absence"))
    ods.delete("studentSchoolAttendanceEvents", "ev3")
    ods.requests.clear()
    second = pull(ods.url, out, environ=ENV, allow_insecure=True, since_last=True)
    asked = ods.data_requests("studentSchoolAttendanceEvents")
    assert asked[0]["minChangeVersion"] == str(first.change_version + 1)
    assert asked[0]["maxChangeVersion"] == str(ods.newest)
    events = {p.resource: p for p in second.resources}["studentSchoolAttendanceEvents"]
    assert (events.records, events.received, events.deleted) == (3, 2, 1)
    saved = [
        json.loads(line)
        for line in (out / "studentSchoolAttendanceEvents.jsonl").read_text().splitlines()
    ]
    categories = {r["id"]: r["attendanceEventCategoryDescriptor"].split("#")[1] for r in saved}
    assert categories == {
        "ev1": "Unexcused Absence",
        "ev2": "Unexcused Absence",
        "ev9": "Excused Absence",
    }
    assert second.since == first.change_version and second.change_version == ods.newest


@pytest.mark.slow
def test_since_last_needs_an_earlier_pull_from_the_same_api(ods, tmp_path):
    with pytest.raises(OptionError, match="holds no earlier pull"):
        pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, since_last=True)
    pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True)
    with pytest.raises(OptionError, match="was pulled from"):
        pull("http://127.0.0.1:9/api", tmp_path / "pull", environ=ENV, since_last=True)


@pytest.mark.slow
def test_without_change_queries_a_full_pull_works_and_says_since_last_will_not(ods, tmp_path):
    ods.change_queries = False
    result = pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True)
    assert result.change_version is None
    assert any("no change queries" in note for note in result.notes)
    with pytest.raises(OptionError, match=r"no change queries|reached no change version"):
        pull(ods.url, tmp_path / "pull", environ=ENV, allow_insecure=True, since_last=True)


@pytest.mark.slow
def test_credentials_come_from_a_file_or_the_environment(tmp_path):
    file = tmp_path / "edfi.toml"
    file.write_text(f'key = "{KEY}"\nsecret = "{SECRET}"\n', encoding="utf-8")
    file.chmod(0o600)
    found, notes = read_credentials(file, {})
    assert (found.key, found.secret, notes) == (KEY, SECRET, [])
    assert SECRET not in repr(found)
    file.chmod(0o644)
    assert "can be read by other users" in read_credentials(file, {})[1][0]
    assert read_credentials(None, ENV)[0].source == "the environment"
    with pytest.raises(OptionError, match="no Ed-Fi API key and secret"):
        read_credentials(None, {})
    file.write_text('key = "k"\n', encoding="utf-8")
    with pytest.raises(InputError, match="needs a key and a secret"):
        read_credentials(file, {})


@pytest.mark.slow
def test_the_client_finds_its_urls_in_the_discovery_document(ods):
    with EdfiApi(ods.url + "/", Credentials(KEY, SECRET), allow_insecure=True) as client:
        assert client.urls()["data"] == ods.url + "/data/v3/"
        assert client.change_versions() == (0, ods.newest)


@pytest.mark.slow
def test_rollcall_fetch_pulls_and_prints_what_it_saved(ods, tmp_path):
    done = rollcall(
        "fetch", "--url", ods.url, "--out", str(tmp_path / "pull"), "--allow-insecure", env=ENV
    )
    assert done.returncode == 0, done.stderr
    assert "studentSchoolAttendanceEvents" in done.stdout
    assert f"Pulled up to change version {ods.newest}" in done.stdout
    assert SECRET not in done.stdout + done.stderr


def test_rollcall_fetch_has_no_option_for_a_secret():
    from rollcall.cli import cli

    options = {name for p in cli.commands["fetch"].params for name in p.opts}
    assert not any("secret" in name or "key" in name for name in options)


@pytest.mark.slow
def test_a_json_array_as_the_api_returns_a_page_is_read_too(ods, tmp_path):
    """A folder saved by other means: each resource a JSON array, pretty-printed; a refused
    record is reported at the line its record starts on."""
    ods.add("studentSchoolAttendanceEvents", an_event(4, "s1", "2024-09-07", "Excused Absence"))
    out = tmp_path / "pull"
    pull(ods.url, out, environ=ENV, allow_insecure=True)
    for path in out.glob("*.jsonl"):
        records = [json.loads(line) for line in path.read_text().splitlines()]
        path.with_suffix(".json").write_text(json.dumps(records, indent=2), encoding="utf-8")
        path.unlink()
    api.report(Source(out), tmp_path / "results")
    rejects = read_csv(tmp_path / "results" / "rejects.csv")
    text = (out / "studentSchoolAttendanceEvents.json").read_text().splitlines()
    starts = [n for n, line in enumerate(text, 1) if line == "  {"]
    assert [(r["file"], r["line"]) for r in rejects] == [
        ("studentSchoolAttendanceEvents.json", str(starts[3]))
    ]


@pytest.mark.slow
def test_a_pulled_folder_is_inspected_like_interchange_files(ods, tmp_path):
    from rollcall.formats.sources import inspect

    out = tmp_path / "pull"
    pull(ods.url, out, environ=ENV, allow_insecure=True)
    found = inspect(Source(out))
    roles = {(f.path.name, f.role, f.rows) for f in found.files}
    assert ("studentSchoolAttendanceEvents.jsonl", "attendance: StudentSchoolAttendanceEvent",
            3) in roles  # fmt: skip
    codes = {(c.column, c.code): c.count for c in found.codes}
    assert codes[("AttendanceEventCategory", "Tardy")] == 1
    assert found.missing == ()
