"""Every representation of a row the database takes (tuples, COPY text), one module per subject."""
