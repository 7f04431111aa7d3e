"""Read a report.html back: its headings, sections, figures, and every number marked with
``data-field``/``data-value``, keyed by the row it sits in (standard-library parser only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROW_KEYS = ("data-level", "data-unit", "data-dimension", "data-group", "data-student")


@dataclass
class Page(HTMLParser):
    text: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    # (row attributes, field) → value, for every data-field inside a row or a headline card.
    values: list[tuple[dict[str, str], str, str]] = field(default_factory=list)
    figures: list[dict[str, object]] = field(default_factory=list)
    tables_after_figures: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._row: dict[str, str] = {}
        self._heading: int | None = None
        self._heading_text = ""
        self._figure: dict[str, object] | None = None
        self._waiting_table = 0  # figures not yet followed by a table in their section

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._heading_text = int(tag[1]), ""
        if tag == "section":
            self.sections.append(attrs.get("id", ""))
            self.tables_after_figures += [False] * self._waiting_table
            self._waiting_table = 0
        if tag in ("tr", "dl"):
            self._row = {k: v for k, v in attrs.items() if k in ROW_KEYS}
        if "data-field" in attrs and "data-value" in attrs:
            self.values.append((dict(self._row), attrs["data-field"], attrs["data-value"]))
        if tag == "figure":
            self._figure = {"svg": None, "caption": False}
        if tag == "svg" and self._figure is not None:
            self._figure["svg"] = attrs
        if tag == "figcaption" and self._figure is not None:
            self._figure["caption"] = True
        if tag == "table":
            self.tables_after_figures += [True] * self._waiting_table
            self._waiting_table = 0

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, self._heading_text.strip()))
            self._heading = None
        if tag == "figure" and self._figure is not None:
            self.figures.append(self._figure)
            self._figure = None
            self._waiting_table += 1

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading_text += data

    def rows(self, **key: str) -> dict[str, str]:
        """The fields of the (one) row whose attributes match ``key`` (data- names, no prefix)."""
        wanted = {f"data-{k}": v for k, v in key.items()}
        found: dict[str, str] = {}
        for attrs, name, value in self.values:
            if all(attrs.get(k) == v for k, v in wanted.items()) and len(attrs) == len(wanted):
                found[name] = value
        return found


def read_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    page = Page(text=text)
    page.feed(text)
    page.close()
    return page
