"""Customers 360: customers, contacts, tags, the account team, duplicates and ownership."""
