-- Reference data (written by the schema files and the workforce catalog, not by day).
SELECT * FROM service_queues ORDER BY queue_id
