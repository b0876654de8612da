from tests.analytics.sales.dataset import clock, pipe

__all__ = ["clock", "pipe"]
