"""Checks of a written public site, shared by the fixture tests and the end-to-end test."""

from __future__ import annotations

import csv
import itertools
import re
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from rollcall.publish.site_pages import page_name

COUNT_FIELDS = ("eligible_students", "chronically_absent", "chronic_absence_rate")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def external_references(site: Path) -> list[str]:
    """Every reference in the site that could make a request beyond its own folder."""
    found = []
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m}" for m in re.findall(r"(?:https?:)?//[\w.-]+", text)]
        found += [f"{path.name}: {m}" for m in re.findall(r"url\(|@import", text)]
        if path.suffix == ".html":
            for element in parse(path).iter():
                for name in ("href", "src", "action", "srcset", "data", "poster"):
                    value = element.get(name)
                    if value and (urlsplit(value).scheme or value.startswith("//")):
                        found.append(f"{path.name}: {name}={value}")
    return found


def broken_links(site: Path) -> list[str]:
    """Links (and #fragments) between the site's pages that do not resolve."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {e.get("id") for e in parse(path).iter() if e.get("id")}
        return ids[path]

    broken = []
    for page in pages(site):
        for anchor in parse(page).iter("a"):
            href = anchor.get("href")
            if href is None:
                broken.append(f"{page.name}: <a> without href")
                continue
            parts = urlsplit(href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.name}: {href}")
            elif parts.fragment and parts.fragment not in ids_of(target):
                broken.append(f"{page.name}: {href} (no such id)")
    return broken


def heading_problems(page: Path) -> list[str]:
    """One h1; no heading level skipped on the way down; every table has a caption and
    header cells with a scope."""
    tree = parse(page)
    problems = []
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"{page.name}: headings {levels}")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"{page.name}: h{before} followed by h{after}")
    for table in tree.iter("table"):
        if table.find("caption") is None:
            problems.append(f"{page.name}: a table without caption")
        for th in table.iter("th"):
            if th.get("scope") not in ("col", "row"):
                problems.append(f"{page.name}: th without scope")
    if tree.get("lang") != "en":
        problems.append(f"{page.name}: no lang")
    for svg in tree.iter("svg"):
        if svg.get("role") != "img" or svg.find("title") is None or svg.find("desc") is None:
            problems.append(f"{page.name}: chart without role, title or description")
    for landmark in ("main", "header", "nav", "footer"):
        if tree.find(f".//{landmark}") is None:
            problems.append(f"{page.name}: no <{landmark}>")
    return problems


def hidden_cells_problems(site: Path, summary: list[dict[str, str]]) -> list[str]:
    """Every empty cell of the public summary is shown as "hidden" beside its note, never as a
    number; every visible count appears as published. Checks each unit's page: the year table
    for the overall rows, the group tables for the chosen year."""
    year = max(r["school_year"] for r in summary)
    problems = []
    trees: dict[str, lxml.html.HtmlElement] = {}
    for row in summary:
        name = page_name(row["level"], row["unit_id"])
        if name not in trees:
            trees[name] = parse(site / name)
        tree = trees[name]
        if row["dimension"] == "all":
            selector = f"//tr[@data-year='{row['school_year']}'][@data-dimension='all']"
        elif row["school_year"] == year:
            dimension, group = _quote(row["dimension"]), _quote(row["group"])
            selector = f"//tr[@data-dimension={dimension}][@data-group={group}]"
        else:
            continue
        rows = tree.xpath(selector)
        if len(rows) != 1:
            problems.append(f"{name}: {len(rows)} rows for {row}")
            continue
        note = "".join(n.text_content() for n in rows[0].xpath("th//*[@class='note']")).strip()
        if note != row["note"].strip():
            problems.append(f"{name}: note {note!r} instead of {row['note']!r}")
        for field in COUNT_FIELDS:
            text = rows[0].xpath(f"td[@data-field='{field}']")[0].text_content().strip()
            if row[field] == "":
                if text != "hidden":
                    problems.append(f"{name}: hidden {field} of {row['group']} shows {text!r}")
            elif text != shown(field, row[field]):
                problems.append(f"{name}: {field} {text!r} for {row[field]!r}")
    return problems


def shown(field: str, raw: str) -> str:
    """How the site writes a published value: counts with thousands separators, a rate (a
    fraction, as summary.csv writes it) as a percentage with one decimal, a range as it is."""
    if field != "chronic_absence_rate":
        return f"{int(raw):,}"
    if raw.endswith("%"):
        return raw
    tenths = (Fraction(raw) * 1000 * 2 + 1) // 2
    return f"{tenths // 10}.{tenths % 10}%"


def _quote(value: str) -> str:
    """An XPath string literal."""
    if "'" not in value:
        return f"'{value}'"
    return "concat('" + "', \"'\", '".join(value.split("'")) + "')"
