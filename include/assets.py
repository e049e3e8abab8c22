"""What the DAG publishes, as Airflow Assets: a downstream DAG can run on them
(`schedule=[PUBLISHED_DAY]` or `[SUMMARIES]`). Each event's extra carries the day."""

from __future__ import annotations

from airflow.sdk import Asset

#: A day's interactions, swapped into customer_interactions (task publish_day).
PUBLISHED_DAY = Asset(
    name="customer_care.published_day", uri="customer-care://customer_care_db/customer_interactions"
)
#: The day's rows of the analytics.* summary tables (task refresh_summaries).
SUMMARIES = Asset(name="customer_care.summaries", uri="customer-care://customer_care_db/analytics")
#: A day exported to the Parquet lake under CCA_EXPORT_URL, manifest written (task export_day):
#: a warehouse load or a dbt run can be scheduled on it. Extra: day, url, manifest, rows.
LAKE_DAY = Asset(name="customer_care.lake_day", uri="customer-care://lake/day")
