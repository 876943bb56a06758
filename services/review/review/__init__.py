"""Review service: formal review (形式审查) by the routed agency, automatic warnings, on-site
checks, decisions, publicity (公示), announcement (公告), the registry of registration
numbers (入库登记编号) and year-end spot checks (抽查)."""
