"""The append-only record of every read of a student's record, every export and every change."""
