"""Refreshing from the browser (docs/platform.md, "Refreshing the data"): a form names the input
(an upload, a path in the import folder, an Ed-Fi API pull), a job row records the refresh, and a
separate process (``python -m rollcall.web.intake.runner JOB``) runs the engine and stores the
snapshot, so that neither its minute nor its memory falls on the web server."""
