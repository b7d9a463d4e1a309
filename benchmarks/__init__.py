"""Benchmarks for facilitate (`make bench`). Not part of the test run; see BENCHMARKS.md."""
