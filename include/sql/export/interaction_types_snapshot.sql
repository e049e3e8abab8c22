-- Reference data (written by the schema files and the workforce catalog, not by day).
SELECT * FROM interaction_types ORDER BY interaction_type_id
