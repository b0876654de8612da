"""Contracts (合同): numbering, approval, renewal; the root of receivables."""
