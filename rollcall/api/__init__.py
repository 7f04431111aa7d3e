"""The library's front door: every ``rollcall`` command (and the web app) calls one function
here, and gets one result record back to print or show.

| command | function | result |
|---|---|---|
| ``report`` | ``report`` | ``ReportResult`` |
| ``publish`` | ``publish`` (``publish_table`` for an aggregate table) | ``PublishResult`` |
| ``measures`` | ``measures`` | ``MeasuresResult`` |
| ``spc`` | ``spc`` | ``SpcOutput`` |
| ``fetch`` | ``fetch`` | ``PullResult`` |
| ``inspect`` | ``inspect``, ``suggest_mapping`` | ``Inspection``, ``Suggestion`` |
| ``synth``, ``demo`` | ``synth`` (then ``report``) | ``SynthSummary`` |
| ``refresh`` (the platform) | ``snapshot`` | ``SnapshotTables`` |
| ``warn`` | ``warn`` | ``WarnResult`` |
| ``outreach plan`` | ``outreach_plan`` | ``OutreachPlan`` |
| ``outreach send`` | ``outreach_send`` | ``SendResult`` |
| ``outreach evaluate`` | ``outreach_evaluate`` | ``OutreachEvaluation`` |
| ``bright-spots`` | ``bright_spots`` | ``BrightSpotsResult`` |
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rollcall.api.improvement import bright_spots
    from rollcall.api.outreach import (
        OutreachEvaluation,
        OutreachPlan,
        outreach_evaluate,
        outreach_plan,
        outreach_send,
    )
    from rollcall.api.publishing import PublishResult, publish, publish_table
    from rollcall.api.report_results import Published, ReportResult
    from rollcall.api.reports import report
    from rollcall.api.snapshots import SnapshotTables, snapshot
    from rollcall.api.tools import fetch, inspect, measures, spc, suggest_mapping, synth
    from rollcall.api.warning import WarnResult, warn

# Each name's module, imported when the name is first used (PEP 562): a command loads only what
# it needs (``rollcall report`` never imports scikit-learn, which the early warning needs).
_MODULES = {
    "bright_spots": "improvement",
    "OutreachEvaluation": "outreach",
    "OutreachPlan": "outreach",
    "outreach_evaluate": "outreach",
    "outreach_plan": "outreach",
    "outreach_send": "outreach",
    "PublishResult": "publishing",
    "publish": "publishing",
    "publish_table": "publishing",
    "Published": "report_results",
    "ReportResult": "report_results",
    "report": "reports",
    "SnapshotTables": "snapshots",
    "snapshot": "snapshots",
    "fetch": "tools",
    "inspect": "tools",
    "measures": "tools",
    "spc": "tools",
    "suggest_mapping": "tools",
    "synth": "tools",
    "WarnResult": "warning",
    "warn": "warning",
}


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "OutreachEvaluation",
    "OutreachPlan",
    "PublishResult",
    "Published",
    "ReportResult",
    "SnapshotTables",
    "WarnResult",
    "bright_spots",
    "fetch",
    "inspect",
    "measures",
    "outreach_evaluate",
    "outreach_plan",
    "outreach_send",
    "publish",
    "publish_table",
    "report",
    "snapshot",
    "spc",
    "suggest_mapping",
    "synth",
    "warn",
]
