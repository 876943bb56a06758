"""Shared kernel of the S&T SME evaluation backend (科技型中小企业评价).

What all four services need and nothing service-specific: the event envelope and
schemas, outbox/inbox/relay/consumer machinery, database sessions, settings, auth,
codes (USCC, organisation tree), the working-day calendar, the yearly policy, the
scoring engine, and logging/metrics.
"""
