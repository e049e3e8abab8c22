-- Customers' versions (version 1: sign-up, 2: churn) that begin between %(first_day)s and %(last_day)s: a sign-up (the customer
-- as on that day: not yet churned) and a churn (Inactive from churn_date). PostgreSQL keeps the
-- status after churn only: the status before it comes from the generator (suspended_ids,
-- the churned customers who were suspended; include/export/lake.py).
SELECT * FROM (
    SELECT registration_date AS changed_on, 1 AS version, customer_id, customer_name, email, phone, address, city, state,
           registration_date, customer_segment,
           CASE WHEN churn_date IS NULL THEN status
                WHEN customer_id = ANY(%(suspended_ids)s::bigint[]) THEN 'Suspended' ELSE 'Active' END AS status,
           NULL::date AS churn_date, created_at, time_zone, preferred_language
    FROM customers
    WHERE registration_date BETWEEN %(first_day)s::date AND %(last_day)s::date
    UNION ALL
    SELECT churn_date AS changed_on, 2 AS version, customer_id, customer_name, email, phone, address, city, state,
           registration_date, customer_segment, status, churn_date, created_at, time_zone, preferred_language
    FROM customers
    WHERE churn_date BETWEEN %(first_day)s::date AND %(last_day)s::date
) AS versions
ORDER BY customer_id, changed_on, version
