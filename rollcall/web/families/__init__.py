"""Families: how to reach each student's family (contacts), kept by the people who work with
them (docs/platform.md, "Contacts")."""
