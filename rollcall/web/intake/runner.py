"""The process that runs one refresh job: ``python -m rollcall.web.intake.runner JOB``.

Started by ``rollcall.web.intake.jobs.launch`` with the web server's settings and database; it
reads the Ed-Fi key and secret (if any) as JSON on its standard input, sends a sign of life
every few seconds while it runs, and ends when the job is done or failed. Nothing it prints is
kept: what happened is in the job's row, and a bug's details in the crash log
(rollcall/crashlog.py)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Sequence


def main(args: Sequence[str] | None = None) -> int:
    import django

    argv = list(sys.argv[1:] if args is None else args)
    secret = json.loads(sys.stdin.read() or "{}") if not sys.stdin.isatty() else {}
    django.setup()
    # Django's models can be imported only once it is set up (just above).
    from django.db import connection

    from rollcall.web.intake.jobs import beat, run
    from rollcall.web.intake.models import HEARTBEAT

    pk = int(argv[0])
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(HEARTBEAT):
            beat(pk)
        connection.close()

    beating = threading.Thread(target=heartbeat, daemon=True)
    beating.start()
    try:
        run(pk, secret=secret)
    finally:
        stop.set()
        beating.join(timeout=HEARTBEAT + 5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
