"""The JSON API (docs/platform.md, "The API"): the same scopes as the pages, for a program.

A request carries ``Authorization: Bearer KEY`` (a key from ``rollcall token``); a missing or
unknown key is a 401. Every endpoint asks ``rollcall.web.scope``: what is out of a person's scope
is a 404 or is left out of a list, never a 403. Reads of students are in the audit trail."""
