"""Signed webhooks from the outbox (Standard Webhooks): endpoints, fan-out, delivery, log."""
