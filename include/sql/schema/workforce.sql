-- The contact center's queues, routing, roster and shifts (include/generator/workforce.py).
-- The pipeline writes them from the generator's parameters (include/generator/parameters.py:
-- SERVICE_GROUPS): that file is their one source, these tables let SQL join them.
-- A queue is a department (which owns contact types) times a service group (Voice, Messaging,
-- Store); agents of a queue hold `concurrency` live contacts at once, and the workforce plan
-- staffs each queue for its service-level target (Erlang C).
CREATE TABLE IF NOT EXISTS service_queues (
    queue_id       smallint PRIMARY KEY,
    department     text     NOT NULL,
    service_group  text     NOT NULL,
    concurrency    smallint NOT NULL CHECK (concurrency >= 1),
    target_share   numeric  NOT NULL,  -- service level: this share answered ...
    target_seconds integer  NOT NULL,  -- ... within this many seconds
    UNIQUE (department, service_group)
);

-- Which queue serves a contact of a type on a channel. is_live: the contact holds an agent's
-- seat (voice, chat, store); otherwise it is an asynchronous message (email, social, SMS)
-- that an agent of the queue on shift answers. On a live channel, a contact with no agent is
-- a bot session (not Cancelled) or a contact abandoned in the queue (Cancelled, no handle time).
CREATE TABLE IF NOT EXISTS contact_routing (
    interaction_type_id smallint NOT NULL REFERENCES interaction_types (interaction_type_id),
    channel_id          smallint NOT NULL REFERENCES channels (channel_id),
    queue_id            smallint NOT NULL REFERENCES service_queues (queue_id),
    is_live             boolean  NOT NULL,
    PRIMARY KEY (interaction_type_id, channel_id)
);

-- Places agents work: contact-center sites (config.SITES) and stores (config.STORES, one per
-- time zone: a customer visits the store of their zone). Each plans its shifts in its own
-- local time; a store opens at opening_hours, and holiday_hours (closed days, eve hours).
CREATE TABLE IF NOT EXISTS contact_sites (
    site_name     text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('Contact center', 'Store')),
    city          text NOT NULL,
    state         text NOT NULL,
    time_zone     text NOT NULL,
    opening_hours text NOT NULL,
    holiday_hours text
);
CREATE OR REPLACE VIEW stores AS
SELECT site_name AS store_name, city, state, time_zone, opening_hours, holiday_hours
FROM contact_sites WHERE kind = 'Store';
-- A shift belongs to the site-local day it starts (shift_date) and may cross midnight, local or
-- UTC; it is written by the batch (UTC) day its shift_start falls in. break_start/break_end is
-- its meal break; the short paid breaks are agent_shift_breaks. An agent answers live contacts
-- only between shift_start and shift_end, outside its breaks.
CREATE TABLE IF NOT EXISTS agent_shifts (
    shift_date  date        NOT NULL,
    agent_id    integer     NOT NULL REFERENCES agents (agent_id),
    queue_id    smallint    NOT NULL REFERENCES service_queues (queue_id),
    shift_start timestamptz NOT NULL,
    shift_end   timestamptz NOT NULL,
    break_start timestamptz,  -- NULL: no break (part-time shift)
    break_end   timestamptz,
    site_name   text        REFERENCES contact_sites (site_name),
    PRIMARY KEY (shift_date, agent_id),
    CONSTRAINT agent_shift_ordered CHECK (shift_end > shift_start)
);
CREATE INDEX IF NOT EXISTS agent_shifts_agent ON agent_shifts (agent_id, shift_date);
CREATE INDEX IF NOT EXISTS agent_shifts_start ON agent_shifts (shift_start);
CREATE TABLE IF NOT EXISTS agent_shift_breaks (
    shift_date  date        NOT NULL,
    agent_id    integer     NOT NULL,
    break_start timestamptz NOT NULL,
    break_end   timestamptz NOT NULL,
    PRIMARY KEY (shift_date, agent_id, break_start),
    FOREIGN KEY (shift_date, agent_id) REFERENCES agent_shifts (shift_date, agent_id) ON DELETE CASCADE,
    CONSTRAINT agent_shift_break_ordered CHECK (break_end > break_start)
);
-- What workforce management expected per 15 minutes and queue (all sites): contacts offered and
-- the agents Erlang C asked for. Written with the UTC day its intervals belong to.
CREATE TABLE IF NOT EXISTS workforce_forecast (
    interval_start   timestamptz      NOT NULL,
    queue_id         smallint         NOT NULL REFERENCES service_queues (queue_id),
    forecast_offered double precision NOT NULL,
    agents_needed    integer          NOT NULL,
    PRIMARY KEY (interval_start, queue_id)
);

-- How far the roster of each (seed, volume) has been materialized into agents.
CREATE TABLE IF NOT EXISTS workforce_state (
    base_seed            bigint  NOT NULL,
    interactions_per_day integer NOT NULL,
    materialized_through date    NOT NULL,
    PRIMARY KEY (base_seed, interactions_per_day)
);
