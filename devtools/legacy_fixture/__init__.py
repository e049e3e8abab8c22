"""A database in the earlier 20-table model (UUID keys), dirty rows included, for tests and demos."""
