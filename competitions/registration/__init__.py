"""Registration: people, entries (individual or team), check-in and the draw."""
