-- The earlier "complex" customer-care model (20 tables, UUID keys), written by this project
-- from the description in docs/migration.md (not copied DDL). Used only as a migration
-- source in tests and `make migrate-demo`. Created in the current search_path schema.
-- Deliberately loose where real legacy exports were loose: no foreign keys and no unique
-- msisdn (the dirty rows of the fixture need room), NULLable timestamps.

CREATE TABLE customers (
    customer_id              uuid PRIMARY KEY,
    msisdn                   varchar(20),
    customer_type            varchar(20),
    customer_name            varchar(200),
    region                   varchar(10),
    account_status           varchar(20),
    registration_date        date,
    last_activity_date       date,
    preferred_language       varchar(5) DEFAULT 'es',
    customer_segment         varchar(50),
    credit_limit             numeric(12,2),
    current_balance          numeric(12,2),
    data_plan                varchar(100),
    voice_plan               varchar(100),
    customer_lifetime_value  numeric(12,2),
    churn_risk_score         numeric(4,3),
    nps_score                integer,
    customer_effort_score    numeric(4,2),
    total_interactions_count integer DEFAULT 0,
    successful_interactions_count integer DEFAULT 0,
    escalated_interactions_count  integer DEFAULT 0,
    avg_satisfaction_score   numeric(3,2),
    preferred_contact_time   varchar(20),
    communication_preferences jsonb,
    accessibility_needs      jsonb,
    created_at               timestamp,
    updated_at               timestamp
);

CREATE TABLE channels (
    channel_id       uuid PRIMARY KEY,
    channel_name     varchar(100) UNIQUE NOT NULL,
    channel_type     varchar(30),
    channel_description text,
    is_active        boolean DEFAULT true,
    supports_bot     boolean, supports_live_chat boolean, supports_video boolean,
    supports_file_sharing boolean,
    expected_response_time_seconds integer,
    max_concurrent_users integer,
    availability_sla numeric(5,2),
    cost_per_interaction numeric(8,4),
    created_at timestamp, updated_at timestamp
);

CREATE TABLE interaction_types (
    interaction_type_id uuid PRIMARY KEY,
    interaction_code    varchar(50) UNIQUE NOT NULL,
    interaction_name    varchar(100),
    interaction_category varchar(30),
    sub_category        varchar(50),
    description         text,
    expected_duration_seconds integer,
    complexity_level    varchar(20),
    business_impact     varchar(20),
    requires_authentication boolean,
    requires_human_agent boolean,
    revenue_impact      numeric(10,2),
    target_resolution_time_seconds integer,
    escalation_threshold_seconds integer,
    created_at timestamp, updated_at timestamp
);

CREATE TABLE agents (
    agent_id       uuid PRIMARY KEY,
    agent_code     varchar(20) UNIQUE NOT NULL,
    agent_name     varchar(100),
    agent_type     varchar(20),
    specialization varchar(30),
    skill_level    varchar(20),
    is_active      boolean DEFAULT true,
    max_concurrent_chats integer,
    languages_supported varchar(5)[],
    total_interactions_handled integer,
    avg_handling_time_seconds numeric,
    avg_satisfaction_score numeric(3,2),
    work_schedule  jsonb,
    current_status varchar(20),
    created_at timestamp, updated_at timestamp
);

CREATE TABLE service_plans (
    plan_id          uuid PRIMARY KEY,
    plan_code        varchar(30) UNIQUE NOT NULL,
    plan_name        varchar(100),
    plan_type        varchar(20),
    plan_category    varchar(20),
    monthly_fee      numeric(10,2),
    data_allowance_gb numeric(8,2),
    voice_minutes    integer,
    sms_allowance    integer,
    validity_days    integer,
    is_active        boolean DEFAULT true,
    created_at timestamp, updated_at timestamp
);

CREATE TABLE customer_service_plans (
    customer_id     uuid NOT NULL,
    plan_id         uuid NOT NULL,
    activation_date date NOT NULL,
    expiration_date date,
    is_active       boolean DEFAULT true,
    monthly_charge  numeric(10,2),
    created_at timestamp,
    PRIMARY KEY (customer_id, plan_id, activation_date)
);

CREATE TABLE customer_journey_sessions (
    session_id            uuid PRIMARY KEY,
    customer_id           uuid,
    session_start         timestamp,
    session_end           timestamp,
    total_duration_seconds integer,
    total_interactions    integer,
    primary_channel_id    uuid,
    journey_outcome       varchar(30),
    journey_goal          text,
    goal_achieved         boolean,
    cross_channel_journey boolean,
    created_at timestamp
);

CREATE TABLE customer_interactions (
    interaction_id        uuid PRIMARY KEY,
    customer_id           uuid,
    channel_id            uuid,
    interaction_type_id   uuid,
    agent_id              uuid,
    session_id            varchar(255),
    start_timestamp       timestamp,
    end_timestamp         timestamp,
    duration_seconds      integer,
    interaction_status    varchar(20),
    error_code            varchar(50),
    error_message         text,
    device_type           varchar(30),
    client_type           varchar(30),
    client_version        varchar(20),
    operating_system      varchar(30),
    interaction_mode      varchar(20),
    bot_duration_seconds  integer,
    human_duration_seconds integer,
    escalated_to_human    boolean DEFAULT false,
    escalation_reason     text,
    customer_satisfaction_score integer,
    resolution_on_first_contact boolean,
    number_of_attempts    integer DEFAULT 1,
    created_at timestamp, updated_at timestamp
);

CREATE TABLE interaction_steps (
    step_id          uuid PRIMARY KEY,
    interaction_id   uuid,
    step_sequence    integer,
    step_type        varchar(30),
    step_name        varchar(100),
    step_status      varchar(20),
    start_timestamp  timestamp,
    end_timestamp    timestamp,
    duration_seconds integer,
    error_code       varchar(50),
    step_data        jsonb,
    created_at timestamp
);

CREATE TABLE customer_feedback (
    feedback_id       uuid PRIMARY KEY,
    customer_id       uuid,
    interaction_id    uuid,
    session_id        uuid,
    template_id       uuid,
    feedback_type     varchar(20),
    feedback_channel  varchar(30),
    feedback_timestamp timestamp,
    satisfaction_score integer,
    effort_score      integer,
    nps_score         integer,
    feedback_text     text,
    sentiment_score   numeric(4,3),
    response_text     text,
    resolved          boolean,
    feedback_metadata jsonb,
    created_at timestamp
);

CREATE TABLE interaction_outcomes (
    outcome_id uuid PRIMARY KEY, interaction_id uuid, outcome_type varchar(30),
    outcome_value numeric(12,2), created_at timestamp
);
CREATE TABLE journey_touchpoints (
    touchpoint_id uuid PRIMARY KEY, session_id uuid, touchpoint_sequence integer,
    touchpoint_type varchar(30), interaction_id uuid, touchpoint_timestamp timestamp
);

-- Derived or configuration tables: counted by the migration, never migrated.
CREATE TABLE daily_channel_metrics (
    metric_date date, channel_id uuid, total_interactions integer, avg_satisfaction numeric,
    PRIMARY KEY (metric_date, channel_id)
);
CREATE TABLE daily_agent_metrics (
    metric_date date, agent_id uuid, interactions_handled integer, avg_handle_time numeric,
    PRIMARY KEY (metric_date, agent_id)
);
CREATE TABLE customer_experience_scores (
    customer_id uuid PRIMARY KEY, ces numeric, nps numeric, csat numeric, computed_at timestamp
);
CREATE TABLE channel_capacity (
    channel_id uuid, hour_of_day integer, max_sessions integer, PRIMARY KEY (channel_id, hour_of_day)
);
CREATE TABLE knowledge_base (article_id uuid PRIMARY KEY, title text, body text, created_at timestamp);
CREATE TABLE survey_templates (template_id uuid PRIMARY KEY, name text, questions jsonb);
CREATE TABLE system_alerts (alert_id uuid PRIMARY KEY, severity varchar(10), message text, raised_at timestamp);
CREATE TABLE performance_thresholds (
    threshold_id uuid PRIMARY KEY, metric_name text, warning_value numeric, critical_value numeric
);
