"""`make bench-load`: the event pipeline under load, next to the ceilings of its parts
(issue 14)."""
