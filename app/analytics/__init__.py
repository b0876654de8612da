"""Analytics: numbers owners trust, each computed in SQL under the caller's data scope."""
