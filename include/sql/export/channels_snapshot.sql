-- Reference data (written by the schema files and the workforce catalog, not by day).
SELECT * FROM channels ORDER BY channel_id
