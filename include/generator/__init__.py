"""Synthetic customer-care data: a deterministic customer base and daily interaction batches."""
