-- Customers' versions (version 1: sign-up, 2: churn) that begin between %(first_day)s and %(last_day)s: a sign-up (the customer
-- as on that day: not yet churned) and a churn (Inactive from churn_date). PostgreSQL keeps the
-- current row only; a churned customer's status before churning reads 'Active' (docs/lake.md).
SELECT * FROM (
    SELECT registration_date AS changed_on, 1 AS version, customer_id, customer_name, email, phone, address, city, state,
           registration_date, customer_segment,
           CASE WHEN churn_date IS NOT NULL THEN 'Active' ELSE status END AS status,
           NULL::date AS churn_date, created_at, time_zone, preferred_language
    FROM customers
    WHERE registration_date BETWEEN %(first_day)s::date AND %(last_day)s::date
    UNION ALL
    SELECT churn_date, 2, customer_id, customer_name, email, phone, address, city, state,
           registration_date, customer_segment, status, churn_date, created_at, time_zone, preferred_language
    FROM customers
    WHERE churn_date BETWEEN %(first_day)s::date AND %(last_day)s::date
) AS versions
ORDER BY customer_id, changed_on, version
