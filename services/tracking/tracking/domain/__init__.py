"""Pure rules of quarterly tracking: which quarters are owed, due dates, obligation states,
report validation, needs and tiers. No I/O."""
