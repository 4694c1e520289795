"""Contests: organisations, competitions, events and their marking schemes."""
