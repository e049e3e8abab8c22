"""Migration from the earlier 20-table model (UUID keys) into the 7-table model.

See docs/migration.md for the mapping, the rejection reasons and which data wins.
"""

from include.migration.run import MigrationFailed, MigrationResult, format_report, migrate
from include.migration.source import SourceShapeError, check_source

__all__ = [
    "MigrationFailed",
    "MigrationResult",
    "SourceShapeError",
    "check_source",
    "format_report",
    "migrate",
]
