"""``rollcall fetch`` against a wrong or hostile server (rollcall/formats/edfi/api.py): the key,
the secret and the token go only to the API's own origin, over HTTPS; every request and the whole
run have a deadline; paging ends; redirects stay within the origin and end; every failure is one
line that names the URL. The servers are real and local (tests/edfi_hostile.py), and record what
they receive, so that a test can say what never reached the other host."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import sys
import time

import httpx
import pytest
from edfi_hostile import (
    KEY,
    SECRET,
    TOKEN,
    Hostile,
    json_answer,
    pages,
    raw,
    redirect,
    slowly,
    trickle_body,
    trickle_headers,
)

from rollcall.errors import OptionError
from rollcall.formats.edfi import api as edfi_api
from rollcall.formats.edfi.api import Credentials, EdfiApi

CREDENTIALS = Credentials(KEY, SECRET)
SCHOOLS = "/data/v3/ed-fi/schools"
FIRST_PAGE = "?offset=0&limit=500&totalCount=true"


class Waits(list):
    """Stands in for time.sleep: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def api():
    server = Hostile()
    yield server
    server.close()


@pytest.fixture
def other():
    """Another host: 'localhost', not the API's 127.0.0.1. It must receive nothing."""
    server = Hostile(host="localhost")
    yield server
    server.close()


def client(url: str, **options) -> EdfiApi:
    """A client of a local http server, which never sleeps (its waits are recorded)."""
    return EdfiApi(url, CREDENTIALS, **{"allow_insecure": True, "sleep": Waits(), **options})


def error(call) -> str:
    """The one-line message of the OptionError ``call`` raises (with its hint, as printed)."""
    with pytest.raises(OptionError) as raised:
        call()
    text = f"{raised.value} (hint: {raised.value.hint})"
    assert "\n" not in text and SECRET not in text and TOKEN not in text
    return str(raised.value)


def read(api: EdfiApi, resource: str = "schools") -> list[dict]:
    with api:
        return list(api.records(resource))


def discovery(**urls: str):
    return json_answer({"version": "7.1.0", "urls": urls})


# --- 1. credentials only to the API's own origin, over HTTPS ---


@pytest.mark.parametrize(
    ("theirs", "label"),
    [("oauth", "token URL"), ("dataManagementApi", "data URL"),
     ("changeQueries", "change-queries URL")],
)  # fmt: skip
def test_a_discovery_document_naming_another_host_is_refused_before_anything_is_sent(
    api, other, theirs, label
):
    api.routes["/"] = discovery(**{theirs: other.url + "/x/"})
    message = error(lambda: read(client(api.url)))
    assert message == (
        f"the Ed-Fi API's discovery document at {api.url}/ gives its {label} as {other.url}/x/, "
        "on another host than --url (127.0.0.1): rollcall sends the key, the secret and the "
        "token only to the host and port of --url"
    )
    assert other.seen == []
    assert api.paths() == ["GET /"]  # no token asked for, no page
    assert api.leaks() == []


def test_allow_insecure_never_allows_another_host_not_even_another_name_for_this_one(api):
    elsewhere = f"http://localhost:{api.port}/oauth/token"  # the same server, by another name
    api.routes["/"] = discovery(oauth=elsewhere)
    message = error(lambda: read(client(api.url, allow_insecure=True)))
    assert f"gives its token URL as {elsewhere}, on another host than --url" in message
    assert api.paths() == ["GET /"]


def test_plain_http_needs_allow_insecure_and_nothing_is_sent_without_it(api):
    message = error(lambda: read(client(api.url, allow_insecure=False)))
    assert message == (
        f"--url {api.url} is plain http: rollcall sends the API key and secret only over HTTPS"
    )
    assert api.seen == []
    assert read(client(api.url, allow_insecure=True)) == []
    assert api.paths() == ["GET /", "POST /oauth/token", f"GET {SCHOOLS}"]


def test_a_url_that_is_not_http_is_refused():
    assert error(lambda: read(client("ftp://127.0.0.1/api"))) == (
        "--url ftp://127.0.0.1/api is not an http(s) address"
    )


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made by openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_api(certificate):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = Hostile(tls=context)
    yield server
    server.close()


def trusting(certificate) -> httpx.Client:
    return httpx.Client(verify=ssl.create_default_context(cafile=str(certificate[0])))


def test_https_needs_no_allow_insecure_and_a_plain_http_token_url_is_refused(tls_api, certificate):
    assert read(EdfiApi(tls_api.url, CREDENTIALS, client=trusting(certificate))) == []
    tls_api.seen.clear()
    downgrade = f"http://127.0.0.1:{tls_api.port}/oauth/token"
    tls_api.routes["/"] = discovery(oauth=downgrade)
    message = error(lambda: read(EdfiApi(tls_api.url, CREDENTIALS, client=trusting(certificate))))
    assert f"gives its token URL as {downgrade}, plain http, not https like --url" in message
    assert message.endswith("only to the host and port of --url, over HTTPS")
    assert tls_api.paths() == ["GET /"]


def test_a_certificate_not_trusted_is_one_tls_error_not_retried(tls_api):
    waits = Waits()
    message = error(lambda: read(EdfiApi(tls_api.url, CREDENTIALS, sleep=waits)))
    assert message.startswith(
        f"the TLS connection to the Ed-Fi API at {tls_api.url}/ failed for the API's discovery "
        "document: certificate not accepted: self"
    )
    assert waits == []
    assert tls_api.seen == []


def test_https_to_a_server_that_speaks_plain_http_is_one_tls_error(api):
    waits = Waits()
    secure = api.url.replace("http:", "https:")
    message = error(lambda: read(EdfiApi(secure, CREDENTIALS, sleep=waits)))
    assert message == (
        f"the TLS connection to the Ed-Fi API at {secure}/ failed for the API's discovery "
        "document: the server does not speak TLS there (plain http?)"
    )
    assert waits == []


# --- 2. deadlines ---


@pytest.mark.parametrize("answer", [trickle_body, trickle_headers])
@pytest.mark.slow
def test_a_server_trickling_its_answer_is_cut_off_at_the_request_deadline(api, answer):
    api.routes[SCHOOLS] = answer(0.1)  # never 0.1 s without a byte: no read timeout fires
    started = time.monotonic()
    message = error(lambda: read(client(api.url, request_deadline=1)))
    assert time.monotonic() - started < 2.5
    assert message == (
        "the Ed-Fi API took more than 1 s to answer the request for schools at "
        f"{api.url}{SCHOOLS}{FIRST_PAGE}"
    )


@pytest.mark.slow
def test_the_whole_run_has_a_deadline(api):
    """New pages without end, each slow but within the request's deadline."""
    api.routes[SCHOOLS] = slowly(pages(lambda offset, limit, _: (
        [{"id": f"r{offset + n}"} for n in range(limit)], {})), 0.3)  # fmt: skip
    started = time.monotonic()
    message = error(lambda: read(client(api.url, deadline=1.5, request_deadline=10, page_size=2)))
    assert time.monotonic() - started < 3
    assert message.startswith(
        "the pull from the Ed-Fi API passed its deadline of 1.5 s at the request for schools "
        f"to {api.url}{SCHOOLS}?offset="
    )


def test_a_wait_that_would_pass_the_deadline_stops_at_once(api):
    api.routes[SCHOOLS] = json_answer({}, 503, {"Retry-After": "30"})
    waits = Waits()
    message = error(lambda: read(client(api.url, deadline=5, sleep=waits)))
    assert message == (
        f"the Ed-Fi API failed the request for schools at {api.url}{SCHOOLS}{FIRST_PAGE} "
        "(HTTP 503), and waiting 30 s to try again would pass the deadline of 5 s for the "
        "whole pull"
    )
    assert waits == []


# --- 3. paging that ends ---


def test_the_same_page_again_stops_the_pull(api):
    api.routes[SCHOOLS] = pages(lambda *_: ([{"id": "a"}, {"id": "b"}], {}))
    message = error(lambda: read(client(api.url, page_size=2)))
    assert message == (
        "the Ed-Fi API gave the same page of schools at offset 2 as at offset 0 "
        f"({api.url}{SCHOOLS}?offset=2&limit=2)"
    )


def test_pages_going_round_in_a_circle_stop_the_pull(api):
    """A, B, A, …: each page differs from the one before, not from all before."""
    api.routes[SCHOOLS] = pages(lambda offset, *_: (
        [{"id": f"p{offset // 2 % 2}-{n}"} for n in range(2)], {}))  # fmt: skip
    message = error(lambda: read(client(api.url, page_size=2)))
    assert message.startswith(
        "the Ed-Fi API gave the same page of schools at offset 4 as at offset 0"
    )


def test_pages_without_ids_that_repeat_stop_the_pull_too(api):
    api.routes[SCHOOLS] = pages(lambda *_: ([{"n": 1}, {"n": 2}], {}))
    message = error(lambda: read(client(api.url, page_size=2)))
    assert message.startswith(
        "the Ed-Fi API gave the same page of schools at offset 2 as at offset 0"
    )


def test_pages_beyond_the_first_pages_total_count_stop_the_pull(api):
    """Total-Count 3 with pages of 2: 2 pages, 3 at most; new pages without end are cut there."""
    api.routes[SCHOOLS] = pages(lambda offset, limit, asked: (
        [{"id": f"r{offset + n}"} for n in range(limit)],
        {"Total-Count": "3"} if asked else {}))  # fmt: skip
    message = error(lambda: read(client(api.url, page_size=2)))
    assert message == (
        "the Ed-Fi API gave more than 3 pages of schools (2 records each), although its first "
        f"page said 3 records in all ({api.url}{SCHOOLS}?offset=6&limit=2)"
    )


def test_a_total_count_that_is_no_number_is_ignored(api):
    api.routes[SCHOOLS] = pages(lambda *_: ([{"id": "a"}], {"Total-Count": "lots"}))
    assert read(client(api.url, page_size=2)) == [{"id": "a"}]


# --- 4. redirects ---


def test_a_redirect_within_the_api_is_followed_with_the_token(api):
    api.routes[SCHOOLS] = redirect("/moved/schools")
    api.routes["/moved/schools"] = pages(lambda *_: ([{"id": "a"}], {}))
    assert read(client(api.url)) == [{"id": "a"}]
    assert api.paths()[-2:] == [f"GET {SCHOOLS}", "GET /moved/schools"]


@pytest.mark.parametrize(
    ("path", "what", "status"),
    [("/oauth/token", "a token", 307), (SCHOOLS, "schools", 302)],
)
def test_a_redirect_to_another_host_is_refused_and_the_other_host_gets_nothing(
    api, other, path, what, status
):
    api.routes[path] = redirect(other.url + "/collect", status)
    message = error(lambda: read(client(api.url)))
    query = FIRST_PAGE if path == SCHOOLS else ""
    assert message == (
        f"the Ed-Fi API redirected the request for {what} from {api.url}{path}{query} to "
        f"{other.url}/collect, on another host than --url (127.0.0.1): rollcall follows "
        "redirects only to the host and port of --url"
    )
    assert other.seen == []


def test_httpx_alone_would_strip_the_authorization_but_still_call_the_other_host(api, other):
    """Why rollcall does not leave redirects to httpx: httpx drops the Authorization header on a
    redirect to another origin (checked here), but still sends the request there, and with a 307
    the body of a POST too."""
    api.routes["/oauth/token"] = redirect(other.url + "/collect", 307)
    with httpx.Client(follow_redirects=True) as plain:
        plain.post(api.url + "/oauth/token", auth=(KEY, SECRET), data={"grant_type": "x"})
    assert api.leaks() != [] and other.leaks() == []
    assert [(seen.method, seen.body) for seen in other.seen] == [("POST", b"grant_type=x")]


def test_a_redirect_loop_is_one_error(api):
    api.routes[SCHOOLS] = redirect(SCHOOLS + "?again")
    message = error(lambda: read(client(api.url)))
    assert message == (
        "the Ed-Fi API redirected the request for schools more than 5 times, from "
        f"{api.url}{SCHOOLS}{FIRST_PAGE} (last to {api.url}{SCHOOLS}?again)"
    )
    assert len(api.paths()) == 2 + 6  # discovery, token, then the first try and 5 redirects


# --- 5. every failure one line naming the URL ---


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (raw(b"<html>Sign in</html>", "text/html; charset=utf-8"),
         "as text/html; charset=utf-8, not JSON"),
        (raw(b'[{"id": ', "application/json"),
         "as invalid JSON (Expecting value at line 1, column 9)"),
        (raw(b"[" * 100_000 + b"]" * 100_000, "application/json"),
         "as invalid JSON (nested too deeply)"),
        (raw(b'["\xff"]', "application/json"), "as invalid JSON (not UTF-8 text)"),
        (json_answer({"id": "a"}), "as a JSON object, not a list of records"),
    ],
)  # fmt: skip
def test_a_page_that_is_not_a_list_of_records_is_one_error_naming_it(api, answer, problem):
    api.routes[SCHOOLS] = answer
    message = error(lambda: read(client(api.url)))
    assert message == f"the Ed-Fi API gave schools at {api.url}{SCHOOLS}{FIRST_PAGE} {problem}"


def test_a_page_holding_something_else_than_records_is_one_error(api):
    api.routes[SCHOOLS] = json_answer([{"id": "a"}, 7])
    assert error(lambda: read(client(api.url))) == (
        f"the Ed-Fi API gave a page of schools at {api.url}{SCHOOLS}{FIRST_PAGE} holding a "
        "number where records (JSON objects) were expected"
    )


@pytest.mark.parametrize("body", [[], {"access_token": "two\nlines"}, {"access_token": 7}])
def test_a_token_answer_of_the_wrong_shape_is_one_error(api, body):
    api.routes["/oauth/token"] = json_answer(body)
    assert error(lambda: read(client(api.url))) == (
        f"the Ed-Fi API gave no usable access token at {api.url}/oauth/token"
    )


def test_change_versions_of_the_wrong_shape_are_one_error(api):
    api.routes["/changeQueries/v1/availableChangeVersions"] = json_answer({"newest": 3})
    with client(api.url) as hostile:
        message = error(hostile.change_versions)
    assert message == (
        "the Ed-Fi API gave the available change versions at "
        f"{api.url}/changeQueries/v1/availableChangeVersions as a JSON object without "
        "oldestChangeVersion and newestChangeVersion (whole numbers)"
    )


def test_a_connection_refused_is_tried_again_then_one_error(api):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits = Waits()
    message = error(lambda: read(client(f"http://127.0.0.1:{port}", sleep=waits)))
    assert message == (
        f"cannot reach the Ed-Fi API at http://127.0.0.1:{port}/ for the API's discovery "
        "document: [Errno 111] Connection refused (ConnectError) (5 tries)"
    )
    assert waits == [1, 2, 4, 8]


def test_an_error_status_shows_the_apis_words_on_one_line_without_escapes(api):
    api.routes[SCHOOLS] = json_answer({"message": "bad\n\x1b[31mrequest"}, 400)
    assert error(lambda: read(client(api.url))) == (
        f"the Ed-Fi API answered HTTP 400 for schools at {api.url}{SCHOOLS}{FIRST_PAGE}: "
        "bad??[31mrequest"
    )


def test_a_5xx_after_every_try_is_one_error(api):
    api.routes[SCHOOLS] = json_answer({}, 502)
    assert error(lambda: read(client(api.url))) == (
        f"the Ed-Fi API kept answering HTTP 502 for schools at {api.url}{SCHOOLS}{FIRST_PAGE} "
        "(5 tries)"
    )


def test_an_answer_too_large_is_one_error(api, monkeypatch):
    monkeypatch.setattr(edfi_api, "MAX_BODY", 1000)
    api.routes[SCHOOLS] = json_answer([{"id": "x" * 2000}])
    assert error(lambda: read(client(api.url))) == (
        f"the Ed-Fi API's answer for schools at {api.url}{SCHOOLS}{FIRST_PAGE} is larger than "
        "1,000 bytes"
    )


# --- the command: exit status 2, one line, nothing sent elsewhere ---


def fetch(monkeypatch, capsys, tmp_path, *options: str) -> tuple[int, str, str]:
    """``rollcall fetch`` in this process, as main() runs it: exit status, stdout, stderr."""
    from rollcall.cli import main

    monkeypatch.setenv("ROLLCALL_EDFI_KEY", KEY)
    monkeypatch.setenv("ROLLCALL_EDFI_SECRET", SECRET)
    monkeypatch.setattr(sys, "argv", ["rollcall", "fetch", "--out", str(tmp_path / "pull"),
                                      *options])  # fmt: skip
    try:
        main()
        status = 0
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else 1
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(
    ("scene", "shown"),
    [
        ("token elsewhere", "gives its token URL as {other}/oauth/token"),
        ("redirect elsewhere", "redirected the request for schools from {api}"),
        ("redirect loop", "more than 5 times, from {api}"),
        ("not json", "gave schools at {api}"),
        ("plain http", "--url {api} is plain http"),
    ],
)
def test_rollcall_fetch_stops_with_one_line_and_status_2(
    api, other, monkeypatch, capsys, tmp_path, scene, shown
):
    if scene == "token elsewhere":
        api.routes["/"] = discovery(oauth=other.url + "/oauth/token")
    if scene == "redirect elsewhere":
        api.routes[SCHOOLS] = redirect(other.url + SCHOOLS)
    if scene == "redirect loop":
        api.routes[SCHOOLS] = redirect(SCHOOLS)
    if scene == "not json":
        api.routes[SCHOOLS] = raw(b"<html></html>", "text/html")
    insecure = [] if scene == "plain http" else ["--allow-insecure"]
    status, out, err = fetch(monkeypatch, capsys, tmp_path, "--url", api.url, *insecure)
    assert status == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and " (hint: " in err
    assert shown.format(api=api.url, other=other.url) in err
    assert SECRET not in out + err and TOKEN not in out + err
    assert other.seen == []
    if scene in ("token elsewhere", "plain http"):
        assert api.leaks() == []


def test_rollcall_fetch_with_allow_insecure_pulls_from_a_local_server(
    api, monkeypatch, capsys, tmp_path
):
    status, out, err = fetch(monkeypatch, capsys, tmp_path, "--url", api.url, "--allow-insecure")
    assert status == 0, err
    assert "studentSchoolAttendanceEvents" in out
