-- The shifts the day's batch wrote: those starting in its UTC day (shift_date is the site's
-- local day, so an evening shift in the Americas belongs to the next UTC batch).
SELECT * FROM agent_shifts
WHERE shift_start >= (%(day)s::date)::timestamp AT TIME ZONE 'UTC'
  AND shift_start < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC'
ORDER BY shift_start, agent_id
