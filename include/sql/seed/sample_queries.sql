-- The five sample queries of the seed spec (customer_care_data_model.md), verbatim.
-- Dashboards written against the seed run on this schema unchanged.
SELECT 
    c.channel_name,
    COUNT(*) as interaction_count,
    AVG(ci.satisfaction_score) as avg_satisfaction
FROM customer_interactions ci
JOIN channels c ON ci.channel_id = c.channel_id
GROUP BY c.channel_name
ORDER BY interaction_count DESC;

SELECT 
    it.interaction_name,
    COUNT(*) as interaction_count,
    AVG(ci.duration_seconds) as avg_duration_seconds
FROM customer_interactions ci
JOIN interaction_types it ON ci.interaction_type_id = it.interaction_type_id
WHERE ci.duration_seconds IS NOT NULL
GROUP BY it.interaction_name
ORDER BY interaction_count DESC;

SELECT 
    a.agent_name,
    COUNT(*) as interactions_handled,
    AVG(ci.satisfaction_score) as avg_satisfaction,
    AVG(ci.duration_seconds) as avg_duration
FROM customer_interactions ci
JOIN agents a ON ci.agent_id = a.agent_id
WHERE ci.duration_seconds IS NOT NULL
GROUP BY a.agent_name
ORDER BY interactions_handled DESC;

SELECT 
    c.customer_name,
    COUNT(*) as total_interactions,
    AVG(ci.satisfaction_score) as avg_satisfaction,
    MAX(ci.start_timestamp) as last_interaction
FROM customer_interactions ci
JOIN customers c ON ci.customer_id = c.customer_id
GROUP BY c.customer_id, c.customer_name
ORDER BY total_interactions DESC;

SELECT 
    sp.plan_name,
    COUNT(DISTINCT csp.customer_id) as customer_count,
    COUNT(ci.interaction_id) as total_interactions,
    AVG(ci.satisfaction_score) as avg_satisfaction
FROM service_plans sp
JOIN customer_service_plans csp ON sp.service_plan_id = csp.service_plan_id
LEFT JOIN customer_interactions ci ON csp.customer_id = ci.customer_id
WHERE csp.is_active = TRUE
GROUP BY sp.service_plan_id, sp.plan_name
ORDER BY customer_count DESC;
