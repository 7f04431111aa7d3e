"""A network's partner organisations and events, kept by its coaches (issue 14, item 4)."""
