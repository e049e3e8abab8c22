-- Every customer as at the end of %(as_of)s: its latest version then (see customers_changes.sql).
SELECT CASE WHEN churn_date <= %(as_of)s::date THEN churn_date ELSE registration_date END AS changed_on,
       CASE WHEN churn_date <= %(as_of)s::date THEN 2 ELSE 1 END AS version,
       customer_id, customer_name, email, phone, address, city, state, registration_date, customer_segment,
       CASE WHEN churn_date <= %(as_of)s::date THEN status
            WHEN churn_date IS NULL THEN status
            WHEN customer_id = ANY(%(suspended_ids)s::bigint[]) THEN 'Suspended' ELSE 'Active' END AS status,
       CASE WHEN churn_date <= %(as_of)s::date THEN churn_date END AS churn_date,
       created_at, time_zone, preferred_language
FROM customers
WHERE registration_date <= %(as_of)s::date
ORDER BY customer_id
