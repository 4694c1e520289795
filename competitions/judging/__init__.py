"""Judging: judge assignments, conflicts of interest, marks and their revisions."""
