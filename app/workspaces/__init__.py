"""Workspaces (tenants): creation with an owner, and the workspace a request runs in."""
