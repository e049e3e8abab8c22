-- Agents hired between %(first_day)s and %(last_day)s. is_active stays out: PostgreSQL holds it
-- as of the latest day loaded, not the day an agent left (docs/lake.md).
SELECT hire_date AS changed_on, 1 AS version, agent_id, agent_name, employee_id, department, team, skill_level,
       hire_date, created_at
FROM agents
WHERE hire_date BETWEEN %(first_day)s::date AND %(last_day)s::date
ORDER BY agent_id
