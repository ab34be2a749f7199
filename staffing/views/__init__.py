"""Staffing's pages, by topic (queues, complaints, spot checks, dashboards,
service levels)."""
