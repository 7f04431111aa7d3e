"""Support plans (issue 11): what a school team does for a chronically absent student, from a
catalogue of tiered strategies, with check-ins and follow-through (docs/platform.md)."""
