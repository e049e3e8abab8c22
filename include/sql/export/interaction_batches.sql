-- What the day's load was asked for (loaded_at, a clock, stays out: re-exports are byte-identical).
SELECT batch_date, interactions_requested, base_seed FROM interaction_batches WHERE batch_date = %(day)s::date
