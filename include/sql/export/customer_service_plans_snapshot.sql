-- Every plan as at the end of %(as_of)s (closed from the day after its end_date: see
-- customer_service_plans_changes.sql).
SELECT CASE WHEN end_date < %(as_of)s::date THEN end_date + 1 ELSE start_date END AS changed_on,
       CASE WHEN end_date < %(as_of)s::date THEN 2 ELSE 1 END AS version,
       customer_service_plan_id, customer_id, service_plan_id, start_date,
       CASE WHEN end_date < %(as_of)s::date THEN end_date END AS end_date,
       change_type, NOT coalesce(end_date < %(as_of)s::date, false) AS is_active, created_at
FROM customer_service_plans
WHERE start_date <= %(as_of)s::date
ORDER BY customer_service_plan_id
