"""Custom field definitions per entity, and validation of values on every write path."""
