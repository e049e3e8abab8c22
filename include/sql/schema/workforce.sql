-- The contact center's queues, routing, roster and shifts (include/generator/workforce.py).
-- The pipeline writes them from the generator's parameters (include/generator/config.py:
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

-- Each day's shifts (a shift belongs to one UTC day, the batch unit): replaced with the day.
-- An agent answers live contacts only between shift_start and shift_end, outside the break.
CREATE TABLE IF NOT EXISTS agent_shifts (
    shift_date  date        NOT NULL,
    agent_id    integer     NOT NULL REFERENCES agents (agent_id),
    queue_id    smallint    NOT NULL REFERENCES service_queues (queue_id),
    shift_start timestamptz NOT NULL,
    shift_end   timestamptz NOT NULL,
    break_start timestamptz,  -- NULL: no break (part-time shift)
    break_end   timestamptz,
    PRIMARY KEY (shift_date, agent_id),
    CONSTRAINT agent_shift_ordered CHECK (shift_end > shift_start)
);
CREATE INDEX IF NOT EXISTS agent_shifts_agent ON agent_shifts (agent_id, shift_date);

-- How far the roster of each (seed, volume) has been materialized into agents.
CREATE TABLE IF NOT EXISTS workforce_state (
    base_seed            bigint  NOT NULL,
    interactions_per_day integer NOT NULL,
    materialized_through date    NOT NULL,
    PRIMARY KEY (base_seed, interactions_per_day)
);
