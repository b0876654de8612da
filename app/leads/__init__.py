"""Leads, campaigns, assignment rules and public lead capture."""
