"""What may be published: disclosure avoidance, equity measures, state indicators and the public
site (docs/publish.md).

The flow: an aggregate table (``rollcall.formats.aggregates.table``: from the engine or from a
state's file) →
``suppression`` (which counts are hidden, and why: the ``rules``, the sums of ``relations`` a
reader can use, and the publisher's own attack in ``audit``) → ``equity`` (gaps from shown
counts only) → ``files`` (``public_summary.csv``/``.json``, ``equity.csv``); then, on request,
``ca_dashboard`` and ``site``. Nothing here reads student rows.
"""
