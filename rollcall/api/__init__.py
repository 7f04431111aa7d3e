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

from rollcall.api.improvement import bright_spots
from rollcall.api.outreach import (
    OutreachEvaluation,
    OutreachPlan,
    outreach_evaluate,
    outreach_plan,
    outreach_send,
)
from rollcall.api.publishing import PublishResult, publish, publish_table
from rollcall.api.reports import Published, ReportResult, report
from rollcall.api.snapshots import SnapshotTables, snapshot
from rollcall.api.tools import fetch, inspect, measures, spc, suggest_mapping, synth
from rollcall.api.warning import WarnResult, warn

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
