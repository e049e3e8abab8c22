"""The Parquet lake: every published day exported under CCA_EXPORT_URL (docs/lake.md)."""
