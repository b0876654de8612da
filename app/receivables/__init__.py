"""Receivables (回款): payment plans, payments with allocation, invoices, aging."""
