-- Pipeline bookkeeping: loaded days, the planted-events ledger, the customer base's state.

-- One row per loaded day: what was asked, so checks and audits can compare.
CREATE TABLE IF NOT EXISTS interaction_batches (
    batch_date             date        PRIMARY KEY,
    interactions_requested integer     NOT NULL CHECK (interactions_requested > 0),
    base_seed              bigint      NOT NULL,
    loaded_at              timestamptz NOT NULL DEFAULT now()
);

-- The ledger of planted events (include/generator/parameters.py: PLANTED_EVENTS): what the
-- generator put into the data on purpose, with its dates, scope and intended effect, so an
-- analyst can tell a planted outage from noise. Written by each day's load for the events
-- in force that day; an event is a pure function of (base_seed, start date).
CREATE TABLE IF NOT EXISTS planted_events (
    event_id          bigint      PRIMARY KEY,  -- start date's ordinal * 10 + kind
    base_seed         bigint      NOT NULL,
    event_type        text        NOT NULL
        CHECK (event_type IN ('Network outage', 'Promotion', 'Price change')),
    start_date        date        NOT NULL,
    end_date          date        NOT NULL,
    scope             text        NOT NULL,  -- 'National' or 'Census division: <name>'
    affected_states   text[]      NOT NULL,  -- empty when national
    affected_interaction_types text[] NOT NULL,
    volume_lift       jsonb       NOT NULL,  -- interaction code -> multiplier
    wait_multiplier   numeric     NOT NULL,
    csat_effect       numeric     NOT NULL,
    intended_effect   text        NOT NULL,
    -- A timed event (a network outage) has a start and a restoration (UTC), with an onset ramp
    -- and a recovery decay around them (include/generator/calendar.py: PlantedEvent.strength);
    -- its dates are the UTC days it touches. NULL for events of whole days (campaigns).
    started_at        timestamptz,
    restored_at       timestamptz,
    onset_minutes     integer,
    recovery_minutes  integer,
    CONSTRAINT planted_event_dates_ordered CHECK (end_date >= start_date)
);

-- How far the customer base and plan history have been materialized, and with what.
CREATE TABLE IF NOT EXISTS customer_base_state (
    singleton             boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    base_seed             bigint  NOT NULL,
    new_customers_per_day integer NOT NULL,
    materialized_through  date    NOT NULL
);

-- A counterfactual twin's scenario (docs/twins.md): the levers this database's world was built
-- with, '' for today's world. Written by the first load; a run with another scenario is refused,
-- as one with another seed is. A database from before this table (no row) is today's world.
CREATE TABLE IF NOT EXISTS world_scenario (
    singleton    boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    scenario     text        NOT NULL,  -- canonical 'lever=value,...'; '' : today's world
    levers       jsonb       NOT NULL,  -- lever -> value, e.g. {"staffing": 1.1}
    description  text        NOT NULL,  -- what changed, in words (include/generator/scenario.py)
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
