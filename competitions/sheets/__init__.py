"""Spreadsheet input and output: checks, reading, writing and the row imports (pure)."""
