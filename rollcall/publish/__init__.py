"""What may be published: disclosure avoidance, equity measures, state indicators and the public
site (docs/publish.md).

The flow: an aggregate table (``rollcall.aggregate``: from the engine or from a state's file) →
``suppression`` (which cells are hidden, and why) → ``equity`` (gaps from visible cells only) →
``files`` (``public_summary.csv``/``.json``, ``equity.csv``). Nothing here reads student rows.
"""
