-- Agents hired by the end of %(as_of)s (see agents_changes.sql).
SELECT hire_date AS changed_on, 1 AS version, agent_id, agent_name, employee_id, department, team, skill_level,
       hire_date, created_at
FROM agents
WHERE hire_date <= %(as_of)s::date
ORDER BY agent_id
