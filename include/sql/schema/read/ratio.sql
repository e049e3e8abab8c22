-- numerator / denominator, NULL when the denominator is 0 or NULL.
CREATE OR REPLACE FUNCTION analytics.ratio(numerator numeric, denominator numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT numerator / nullif(denominator, 0)
$$;
