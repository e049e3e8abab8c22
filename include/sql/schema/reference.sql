-- Reference data's tables: channels, contact types, service plans, agents (rows: 01_baseline_data.sql;
-- agents beyond the baseline's are written by the pipeline's roster).

CREATE TABLE IF NOT EXISTS channels (
    channel_id      smallint    PRIMARY KEY,
    channel_code    text        NOT NULL UNIQUE,
    channel_name    text        NOT NULL UNIQUE,
    channel_type    text        NOT NULL CHECK (channel_type IN ('Voice', 'Digital', 'In-Person')),
    -- Live conversations have a handle time; asynchronous ones (email, SMS, social) do not.
    is_synchronous  boolean     NOT NULL,
    is_active       boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS interaction_types (
    interaction_type_id smallint    PRIMARY KEY,
    interaction_code    text        NOT NULL UNIQUE,
    interaction_name    text        NOT NULL UNIQUE,
    category            text        NOT NULL
        CHECK (category IN ('Billing', 'Technical', 'Account', 'Support', 'Sales')),
    priority_level      text        NOT NULL
        CHECK (priority_level IN ('Low', 'Medium', 'High', 'Critical')),
    is_active           boolean     NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS service_plans (
    service_plan_id   smallint      PRIMARY KEY,
    plan_code         text          NOT NULL UNIQUE,
    plan_name         text          NOT NULL UNIQUE,
    plan_type         text          NOT NULL CHECK (plan_type IN ('Prepaid', 'Postpaid', 'Business')),
    -- 1 = entry level ... 4 = top tier; upgrades move up, downgrades down.
    plan_tier         smallint      NOT NULL CHECK (plan_tier BETWEEN 1 AND 4),
    monthly_fee       numeric(10,2) NOT NULL CHECK (monthly_fee >= 0),
    data_allowance_gb numeric(8,2)  NOT NULL CHECK (data_allowance_gb >= 0),
    voice_minutes     integer       NOT NULL CHECK (voice_minutes >= 0),
    sms_allowance     integer       NOT NULL CHECK (sms_allowance >= 0),
    is_active         boolean       NOT NULL DEFAULT true,
    created_at        timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS agents (
    agent_id    integer     PRIMARY KEY,
    agent_name  text        NOT NULL,
    employee_id text        NOT NULL UNIQUE,
    department  text        NOT NULL
        CHECK (department IN ('Customer Service', 'Technical Support', 'Billing', 'Sales')),
    team        text        NOT NULL,
    skill_level text        NOT NULL CHECK (skill_level IN ('Junior', 'Senior', 'Expert')),
    hire_date   date        NOT NULL,
    is_active   boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

