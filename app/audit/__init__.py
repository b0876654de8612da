"""The audit log, read side (rows are written by app.core.audit)."""
