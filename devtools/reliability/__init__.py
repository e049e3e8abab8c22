"""Fault-injection scenarios against a real PostgreSQL: `make reliability` and the test suite."""
