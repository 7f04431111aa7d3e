"""States' published aggregate files (docs/sources/aggregates.md): California (CDE),
Connecticut, Colorado and the generic aggregate CSV, each a layout recognised from its header,
and the aggregate table (``table``) they are read into, the shape the engine's summary also
takes (``rollcall.engine.aggregate``) for the report, publishing and the CA indicator."""
