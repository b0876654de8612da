"""The in-house kit: each cross-cutting mechanism exists once, here."""
