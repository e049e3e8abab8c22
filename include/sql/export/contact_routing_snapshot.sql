-- Reference data (written by the schema files and the workforce catalog, not by day).
SELECT * FROM contact_routing ORDER BY interaction_type_id, channel_id
