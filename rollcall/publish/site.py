"""The public website: static pages built only from the public files (docs/site.md).

``write_site(out_dir)`` reads what ``rollcall publish`` wrote into ``out_dir``
(``public_summary.csv``, ``equity.csv`` and, when present, ``ca_dashboard.csv``) and writes
``out_dir/site/``: an index of every school and district (sortable and searchable), a page per
unit, a page of definitions, and a downloads page with copies of the public files. Since it reads
nothing else, the site can only show what was already published.

The pages work from a folder (``file://``) or any static host, offline: the style sheet and the
small script are inlined in each page and allowed by their hashes in a Content-Security-Policy
that forbids every other source, so a page cannot load anything from anywhere.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from rollcall.errors import InputError
from rollcall.publish.equity import EQUITY_COLUMNS
from rollcall.publish.files import EQUITY_FILE, JSON_FILE, SUMMARY_FILE
from rollcall.publish.files import PUBLIC_COLUMNS as SUMMARY_COLUMNS
from rollcall.publish.site_pages import Row, build_pages, districts_of, explain_notes

SITE_DIR = "site"
DATA_DIR = "data"
TEMPLATES = Path(__file__).parent / "templates" / "site"

DASHBOARD_FILE = "ca_dashboard.csv"
# The columns of ca_dashboard.csv the site shows.
DASHBOARD_COLUMNS = (
    "school_year",
    "level",
    "unit_id",
    "studentgroup",
    "currdenom",
    "currstatus",
    "change",
    "statuslevel",
    "changelevel",
    "color",
)


@dataclass(frozen=True)
class Download:
    """A public file offered for download: its name in ``site/data/``, size and description."""

    name: str
    description: str
    size: int

    @property
    def href(self) -> str:
        return f"{DATA_DIR}/{self.name}"

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:,.1f} KB" if self.size >= 1024 else f"{self.size} bytes"


# The public files copied for download, in the order the downloads page lists them.
DOWNLOADS = {
    "public_summary.csv": "Chronic absence for every school, district and student group (CSV)",
    "public_summary.json": "The same and the gaps between groups, with the rules used (JSON)",
    "equity.csv": "Gaps between student groups: rate, gaps, rate ratio, shares (CSV)",
    "ca_dashboard.csv": "California School Dashboard chronic absenteeism indicator (CSV)",
}


def read_public(path: Path, columns: Sequence[str], *, required: bool = True) -> list[Row]:
    """The rows of a public CSV file; a missing file (when required) or column is an
    ``InputError`` naming it."""
    if not path.exists():
        if required:
            raise InputError(
                "file not found",
                path=path,
                hint="run `rollcall publish` into this folder first; the site reads its files",
            )
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in columns:
            if column not in header:
                raise InputError(
                    "required column is missing",
                    path=path,
                    line=1,
                    column=column,
                    hint="the site reads the public files as `rollcall publish` writes them",
                )
        return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]


@dataclass(frozen=True)
class SummaryDocument:
    """What the site takes from ``public_summary.json`` besides its rows: each unit's district
    (to link schools and districts) and the rules' one-line summary (for the definitions)."""

    units: list[dict[str, object]]
    rules: str


def read_document(path: Path) -> SummaryDocument:
    """The units and rules of ``public_summary.json``, when it is there and has them."""
    if not path.exists():
        return SummaryDocument([], "")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(
            f"not valid JSON ({error})", path=path, hint="write it again with `rollcall publish`"
        ) from error
    if not isinstance(document, dict):
        return SummaryDocument([], "")
    units = [u for u in document.get("units") or [] if isinstance(u, dict)]
    rules = document.get("rules")
    summary = rules.get("summary", "") if isinstance(rules, dict) else ""
    return SummaryDocument(units, str(summary or ""))


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def environment() -> Environment:
    """Jinja with autoescape on for every template: every value from the files is escaped."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = (TEMPLATES / "site.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "site.js").read_text(encoding="utf-8")
    env.globals.update(
        css=Markup(css),  # our own file, not data: placed as it is
        js=Markup(js),
        csp=(
            "default-src 'none'; "
            f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'"
        ),
    )
    return env


def copy_downloads(out_dir: Path, data_dir: Path) -> list[Download]:
    """Copy the public files that exist into the site, byte for byte."""
    data_dir.mkdir(parents=True, exist_ok=True)
    found = []
    for name, description in DOWNLOADS.items():
        source = out_dir / name
        if source.is_file():
            shutil.copyfile(source, data_dir / name)
            found.append(Download(name, description, source.stat().st_size))
    return found


def clear_site(site: Path) -> None:
    """Remove the pages and downloads of an earlier run, so that a unit or file no longer
    published does not stay on the site; anything else in the folder is left alone."""
    site.mkdir(parents=True, exist_ok=True)
    for page in site.glob("*.html"):
        page.unlink()
    for name in DOWNLOADS:
        (site / DATA_DIR / name).unlink(missing_ok=True)


def write_site(out_dir: Path) -> list[Path]:
    """Write the static site into ``out_dir/site/`` from the public files in ``out_dir``;
    return the paths written (pages, then the copied downloads)."""
    out_dir = Path(out_dir)
    summary = read_public(out_dir / SUMMARY_FILE, SUMMARY_COLUMNS)
    equity = read_public(out_dir / EQUITY_FILE, EQUITY_COLUMNS, required=False)
    dashboard = read_public(out_dir / DASHBOARD_FILE, DASHBOARD_COLUMNS, required=False)
    document = read_document(out_dir / JSON_FILE)
    pages, index, year = build_pages(summary, equity, dashboard, districts_of(document.units))
    site = out_dir / SITE_DIR
    clear_site(site)
    downloads = copy_downloads(out_dir, site / DATA_DIR)
    env = environment()
    common = {
        "school_year": year,
        "has_dashboard": bool(dashboard),
        "downloads": downloads,
        "rules": document.rules,
    }
    written: list[Path] = []

    def render(name: str, template: str, **context: object) -> None:
        path = site / name
        html = env.get_template(template).render(page_name=name, **common, **context)
        path.write_text(html, encoding="utf-8")
        written.append(path)

    render("index.html", "index.html.j2", units=index)
    render("definitions.html", "definitions.html.j2", notes=explain_notes(summary))
    render("downloads.html", "downloads.html.j2")
    for page in pages:
        render(page.unit.href, "unit.html.j2", page=page)
    return written + [site / DATA_DIR / d.name for d in downloads]
