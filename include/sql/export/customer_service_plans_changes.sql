-- Plan versions (version 1: started, open; 2: closed) that begin between %(first_day)s and
-- %(last_day)s. A plan ends the day before its successor starts or its customer churns, and
-- PostgreSQL closes it on that next day: the closed version begins the day after end_date
-- (found by end_date itself: its index, include/sql/schema/customers.sql).
SELECT * FROM (
    SELECT start_date AS changed_on, 1 AS version, customer_service_plan_id, customer_id, service_plan_id,
           start_date, NULL::date AS end_date, change_type, true AS is_active, created_at
    FROM customer_service_plans
    WHERE start_date BETWEEN %(first_day)s::date AND %(last_day)s::date
    UNION ALL
    SELECT end_date + 1, 2, customer_service_plan_id, customer_id, service_plan_id, start_date, end_date,
           change_type, false, created_at
    FROM customer_service_plans
    WHERE end_date BETWEEN %(first_day)s::date - 1 AND %(last_day)s::date - 1
) AS versions
ORDER BY customer_service_plan_id, changed_on, version
