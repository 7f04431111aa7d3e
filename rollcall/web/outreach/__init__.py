"""Family outreach in the platform (docs/outreach.md, "In the platform"): a school's rounds,
planned by the library (rollcall.outreach) from the input a refresh read, previewed, approved,
sent and evaluated."""
