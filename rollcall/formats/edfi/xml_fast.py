"""The fast path for Ed-Fi XML attendance interchanges (used by xml_files.py).

A district's year of attendance events is most of its Ed-Fi data. Two things make them faster to
read than other entities: lxml's iterparse matches the attendance entities by tag in C, so Python
sees one element per event instead of every element inside it; and only the paths an event row
reads are visited (``collect``), with the same rule as the general path (the first text of each
path, a reference's ``ref``). tests/test_edfi_xml_events.py checks both paths give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from rollcall.errors import InputError

# The entities of the attendance interchange: iterparse hands only these to Python (matching
# tags in C), which is most of the speed of reading attendance events.
ATTENDANCE = (
    "StudentSchoolAttendanceEvent",
    "StudentSectionAttendanceEvent",
    "StudentProgramAttendanceEvent",
    "StudentInterventionAttendanceEvent",
)


def attendance_entities(path: Path) -> Iterator[Any]:
    """Each child of the root element of an attendance interchange, complete, then freed: as
    ``edfi_xml._entities``, but Python sees only the ends of the attendance entities (not of
    every element inside them); any other top-level element is handed on when the next one
    ends, or at the end of the file."""
    root = None
    context = etree.iterparse(
        str(path),
        events=("end",),
        tag=[f"{{*}}{name}" for name in ATTENDANCE],
        resolve_entities=False,
        no_network=True,
    )
    try:
        for _, element in context:
            if root is None:
                root = element
                while root.getparent() is not None:
                    root = root.getparent()
            if element.getparent() is not root:
                continue  # inside another entity: part of it
            yield from take_before(root, element)
            yield element
            element.clear()
            del root[0]
        if root is None:
            root = context.root
        yield from take_before(root, None)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"is not well-formed XML: {exc.msg}", path=path, line=exc.lineno or None
        ) from None


def take_before(root: Any, element: Any) -> Iterator[Any]:
    """The children of ``root`` before ``element`` (all of them for None), each then freed."""
    while len(root) and root[0] is not element:
        other = root[0]
        if isinstance(other.tag, str):  # not a comment
            yield other
        del root[0]


LOCAL_NAMES: dict[object, str] = {}


def local(tag: object) -> str:
    """A tag's name without its namespace; "" for a comment or processing instruction. Cached:
    the same few tags repeat in every entity."""
    name = LOCAL_NAMES.get(tag)
    if name is None:
        name = LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
    return name


def path_trie(paths: tuple[str, ...]) -> dict[str, Any]:
    """Paths (``AttendanceEvent/EventDate``) as nested {name: (path, children, ref key)}, the
    ref key (``SchoolReference@ref``) for a name ending in Reference, as ``edfi_xml._walk``
    reads it."""
    trie: dict[str, Any] = {}
    for path in paths:
        node = trie
        names = path.split("/")
        for depth, name in enumerate(names):
            prefix = "/".join(names[: depth + 1])
            ref = prefix + "@ref" if name.endswith("Reference") else None
            node = node.setdefault(name, (prefix, {}, ref))[1]
    return trie


def collect(parent: Any, trie: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """``edfi_xml._flatten`` restricted to the paths of ``trie``: the same value for each of
    them (the first text, a reference's ``ref``), without visiting the elements no path leads
    to."""
    for child in parent:
        tag = child.tag
        found = trie.get(LOCAL_NAMES.get(tag) or local(tag))
        if found is None:
            continue
        path, children, ref_key = found
        if len(child):
            if children:
                collect(child, children, values)
            continue
        if ref_key is not None and ref_key not in values:
            ref = child.get("ref")
            if ref:
                values[ref_key] = ref
        text = child.text
        if text and path not in values:
            text = text.strip()
            if text:
                values[path] = text
    return values


EVENT = "StudentSchoolAttendanceEvent"
# Every path edfi_xml._event reads, for collect (a test checks both paths give the same rows).
EVENT_PATHS = (
    "StudentReference",
    "StudentReference/StudentIdentity/StudentUniqueId",
    "SchoolReference",
    "SchoolReference/SchoolIdentity/SchoolId",
    "SessionReference",
    "SessionReference/SessionIdentity/SessionName",
    "SessionReference/SessionIdentity/SchoolYear",
    *(
        f"{prefix}{name}{suffix}"
        for prefix in ("AttendanceEvent/", "")
        for name in ("EventDate", "AttendanceEventCategory", "EventDuration")
        for suffix in ("", "/CodeValue", "/Namespace")
    ),
)
EVENT_TRIE = path_trie(EVENT_PATHS)
