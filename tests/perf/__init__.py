"""Benchmarks (not collected by pytest): `make bench-seed`, `make bench`."""
