"""The contest package: one JSON document holding a whole competition (pure part)."""
