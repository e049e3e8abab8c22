-- The day's published interactions, in id order (the day's partition, or its rows in the month's).
SELECT * FROM interaction_days.of_day(%(day)s::date) ORDER BY interaction_id
