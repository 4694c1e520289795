"""Results: computing, publishing and finalising results; appeals."""
