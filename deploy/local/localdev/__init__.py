"""Local development and test tooling (not part of any service image)."""
