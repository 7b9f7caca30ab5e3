"""Drift between templates and live configuration (issue 5; in progress)."""
