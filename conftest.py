"""Fixtures for every test in the repository: real PostgreSQL and Kafka (localdev.testing)."""

pytest_plugins = ["localdev.testing"]
