"""The yearly policy on the platform: its versions in the database (`store`) and the
handler that keeps every service's copy current (`handlers`)."""
