"""Intake service: enterprises file the information form (信息表), see their self-evaluation,
submit, withdraw, and follow their application's status as review and supervision act."""
