"""Tracking service: quarterly reporting obligations and reports (季度跟踪), overdue
detection, statistics and tiers (分层分类) of registered enterprises."""
