"""The events feed: the outbox as a pollable, ordered stream."""
