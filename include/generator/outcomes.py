"""The outcomes stage of a block: what became of each contact once the queues served it.

Resolution and escalation, same-day repeat contacts, CSAT and who answers the survey, the
conversation summary. Pure: the block's arrays in, the outcome columns out; the block's
random generator continues in a fixed order (so the rows are a function of (seed, day, block)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from include.generator import parameters, workforce
from include.generator.calendar import DayPlan

CHANNELS = tuple(parameters.CHANNEL_MIX)
TYPES = tuple(parameters.INTERACTION_TYPES)
RESOLUTIONS = tuple(parameters.RESOLUTION_MIX)
LANGUAGES = tuple(parameters.LANGUAGE_MIX)
SKILLS = (*workforce.SKILLS, None)  # None: no agent (bots, abandoned)
#: Conversation summaries: two notes per type, then None (NO_SUMMARY: NULL, no conversation).
SUMMARIES = (*(text for code in TYPES for text in parameters.SUMMARY_TEMPLATES[code]), None)
NO_SUMMARY = len(SUMMARIES) - 1
#: resolution codes (index into RESOLUTIONS)
RESOLVED, PENDING, ESCALATED, CANCELLED = (RESOLUTIONS.index(r) for r in RESOLUTIONS)
#: planted markers (arrivals.Arrivals.planted): the first contact of a later day's repeat
PLANTED_REPEAT_SOURCE = 1
PLANTED_REPEAT = 2
#: ... a contact announcing an account event (accounts.py: a cancellation, a plan change, a bill)
PLANTED_ACCOUNT_EVENT = 3


def lookup(mapping: dict, keys: tuple, dtype: type = float, default: float = 0) -> np.ndarray:
    """mapping[k] for each key in order (default when absent), as an array indexable by code."""
    return np.array([mapping.get(k, default) for k in keys], dtype=dtype)


@dataclass
class Served:
    """What the outcomes stage reads of a block's contacts after the queues (one entry per row)."""

    rng: np.random.Generator
    itype: np.ndarray
    channel: np.ndarray
    pick: np.ndarray  # index into the day's pool of customers
    bot: np.ndarray
    handed_off: np.ndarray
    from_bot: np.ndarray
    planted: np.ndarray
    regional: np.ndarray
    abandoned: np.ndarray
    served: np.ndarray  # a live contact an agent answered
    skill: np.ndarray  # index into SKILLS (3: no agent)
    queue_s: np.ndarray  # wait before the answer (live) or the reply (messages), seconds
    handle_s: np.ndarray
    arrival_us: np.ndarray  # microseconds after the day's UTC midnight
    live: np.ndarray  # a live contact for an agent's seat (voice, chat, store)


@dataclass(frozen=True)
class Pool:
    """The day's customers who may contact us (day_inputs.DayContext's pool)."""

    ids: np.ndarray
    zone: np.ndarray
    language: np.ndarray


ESCALATION_SHIFT = lookup(parameters.TYPE_ESCALATION_SHIFT, TYPES)


def resolve(s: Served) -> tuple[np.ndarray, np.ndarray]:
    """(resolution, escalated). The served mix, shifted by skill and type (towards escalation) and by
    channel and type (towards pending: first-contact resolution differs by both). Abandoned:
    Cancelled. Bots contain the contact (Resolved) or hand it to a human (Pending: not an
    escalation, the human contact that follows carries the outcome)."""
    n = len(s.itype)
    shift_by_skill = np.array([parameters.SKILL_RESOLUTION_SHIFT[k] for k in SKILLS])[s.skill]
    pending_shift = (
        lookup(parameters.CHANNEL_RESOLUTION_SHIFT, CHANNELS)[s.channel]
        + lookup(parameters.TYPE_RESOLUTION_SHIFT, TYPES)[s.itype]
    )
    to_escalated = shift_by_skill + ESCALATION_SHIFT[s.itype]
    base = np.array(list(parameters.RESOLUTION_MIX.values()))
    cut_resolved = np.maximum(base[0] - to_escalated - pending_shift, 0.05)
    cut_pending = np.maximum(base[0] + base[1] - to_escalated, cut_resolved)
    u = s.rng.random(n)
    resolution = np.select([u < cut_resolved, u < cut_pending], [RESOLVED, PENDING], ESCALATED).astype(
        np.int8
    )
    resolution = np.where(s.bot, np.where(s.handed_off, PENDING, RESOLVED), resolution)
    resolution = np.where(s.abandoned, CANCELLED, resolution).astype(np.int8)
    # The first contact of a later day's repeat was not resolved.
    first_of_repeat = (s.planted == PLANTED_REPEAT_SOURCE) & (resolution == RESOLVED)
    resolution = np.where(first_of_repeat, PENDING, resolution).astype(np.int8)
    escalated = (resolution == ESCALATED) | (
        (resolution == RESOLVED) & ~s.bot & (s.rng.random(n) < parameters.RESOLVED_AFTER_ESCALATION)
    )
    return resolution, escalated


def same_day_repeats(
    s: Served, resolution: np.ndarray, zone: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(repeat, source row). A later contact of the customer of an earlier unresolved one
    about the same type, in the same time zone (so the repeat's local time stays where it was
    drawn). A repeat is never itself taken as the first contact: each one keeps the customer
    of a contact that is theirs. (Bot sessions and their hand-offs stay the customer's who
    started them; planted cross-day contacts and the rows in `keep` keep their customer.)"""
    n = len(s.itype)
    repeat_u, source_u = s.rng.random(n), s.rng.random(n)
    may_repeat = (
        (repeat_u < parameters.REPEAT_CONTACT_SHARE) & ~s.from_bot & ~s.bot & (s.planted == 0) & ~keep
    )
    unresolved = (resolution != RESOLVED) & ~s.handed_off & ~may_repeat
    repeat = s.planted == PLANTED_REPEAT
    source = np.arange(n)
    group_key = zone.astype(np.int64) * len(TYPES) + s.itype
    order = np.argsort(group_key, kind="stable")
    bounds = np.flatnonzero(np.diff(group_key[order])) + 1
    for rows in np.split(order, bounds):
        open_rows = unresolved[rows]
        earlier = np.concatenate([[0], np.cumsum(open_rows)[:-1]])
        wants = may_repeat[rows] & (earlier > 0)
        if not wants.any():
            continue
        candidates = rows[np.flatnonzero(open_rows)]
        chosen = candidates[
            (source_u[rows] * np.maximum(earlier, 1)).astype(np.int64).clip(0, len(candidates) - 1)
        ]
        repeat[rows] |= wants
        source[rows] = np.where(wants, chosen, rows)
    return repeat, source


def satisfaction(
    s: Served, plan: DayPlan, resolution: np.ndarray, repeat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(score 1..5, answered). CSAT from outcome, skill, wait and handle time; answered by only
    a share of customers: unhappy and delighted ones answer more, a caller who hung up in
    the queue gets no survey."""
    n = len(s.itype)
    median = lookup({c: v[0] for c, v in parameters.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS, default=1.0)[
        s.channel
    ]
    expected_wait = lookup(parameters.QUEUE_TIME_MEAN_SECONDS, CHANNELS)[s.channel]
    wait_effect = parameters.CSAT_WAIT_EFFECT * np.log2(np.maximum(s.queue_s, 1) / expected_wait).clip(-2, 4)
    handle_effect = parameters.CSAT_HANDLE_EFFECT * np.log2(np.maximum(s.handle_s, 1) / median).clip(-2, 4)
    latent = (
        parameters.CSAT_BASE
        + np.array([parameters.CSAT_RESOLUTION_EFFECT[r] for r in RESOLUTIONS])[resolution]
        + np.array([parameters.CSAT_SKILL_EFFECT[k] for k in SKILLS])[s.skill]
        + np.where(s.bot, 0, wait_effect)
        + np.where(s.served, handle_effect, 0)
        + np.where(repeat, parameters.CSAT_REPEAT_EFFECT, 0)
        + np.where(s.regional, plan.regional_csat_effect, 0)
        + plan.type_csat[s.itype]
        + parameters.CSAT_NOISE * s.rng.standard_normal(n)
    )
    score = np.clip(np.rint(latent), 1, 5).astype(np.int16)
    by_score = np.array([0.0] + [parameters.SURVEY_RESPONSE_BY_SCORE[k] for k in range(1, 6)])
    answered = (
        s.rng.random(n) < lookup(parameters.SURVEY_RESPONSE_RATE, CHANNELS)[s.channel] * by_score[score]
    ) & ~s.abandoned
    return score, answered


def summaries(s: Served) -> np.ndarray:
    """The conversation summary: one of the type's notes (index into SUMMARIES); none
    (NO_SUMMARY) for a caller who hung up in the queue: there was no conversation."""
    note = (s.itype * 2 + (s.rng.random(len(s.itype)) < 0.5)).astype(np.int16)
    return np.where(s.abandoned, NO_SUMMARY, note).astype(np.int16)


def abandoned_retries(s: Served, zone: np.ndarray) -> np.ndarray:
    """The row each contact's customer comes from (itself, or the abandoned contact it retries).

    ABANDONED_RETRY_SHARE of the callers who hang up in a queue try again after an
    exponential delay: the first later live contact of the block on the same channel, about
    the same type, in the same time zone (so its local time stays where it was drawn), inside
    the retry window, becomes theirs. Rows, queues and agents stay as served: only whose
    contact it is changes, and the retry starts after the caller hung up."""
    n = len(s.itype)
    source = np.arange(n)
    u, delay_u = s.rng.random(n), s.rng.random(n)
    retrying = np.flatnonzero(s.abandoned & (u < parameters.ABANDONED_RETRY_SHARE))
    free = s.live & ~s.bot & ~s.from_bot & (s.planted == 0)
    if not len(retrying) or not free.any():
        return source
    kind = (zone.astype(np.int64) * len(TYPES) + s.itype) * len(CHANNELS) + s.channel
    rows = np.flatnonzero(free)
    order = np.argsort(kind[rows] * _KIND_STRIDE + s.arrival_us[rows], kind="stable")
    rows = rows[order]
    keys = kind[rows] * _KIND_STRIDE + s.arrival_us[rows]
    hung_up = s.arrival_us[retrying] + s.queue_s[retrying].astype(np.int64) * 1_000_000
    delay = -np.log1p(-delay_u[retrying]) * parameters.RETRY_DELAY_MEAN_MINUTES * 60e6
    earliest = kind[retrying] * _KIND_STRIDE + hung_up + 1_000_000 + delay.astype(np.int64)
    latest = kind[retrying] * _KIND_STRIDE + hung_up + parameters.RETRY_WINDOW_MINUTES * 60_000_000
    pos = np.searchsorted(keys, earliest)
    taken = np.zeros(len(keys), dtype=bool)
    for _ in range(_RETRY_ROUNDS):  # callers who want the same contact: the first keeps it
        at = np.minimum(pos, len(keys) - 1)
        inside = (pos < len(keys)) & (keys[at] <= latest)
        wanting = np.flatnonzero(inside & ~taken[at])
        winners = wanting[np.unique(at[wanting], return_index=True)[1]]
        source[rows[at[winners]]] = retrying[winners]
        taken[at[winners]] = True
        again = inside.copy()
        again[winners] = False
        retrying, pos, latest = retrying[again], pos[again] + 1, latest[again]
        if not len(retrying):
            break
    while not np.array_equal(source, source[source]):  # a retry of a retry: the first caller's
        source = source[source]
    return source


_KIND_STRIDE = 1 << 40  # (zone, type, channel) above the arrival's microseconds in one sort key
_RETRY_ROUNDS = 4


def outcomes(s: Served, plan: DayPlan, pool: Pool) -> dict[str, np.ndarray]:
    """The outcome columns of a block (the stage's one entry point), in the generator's draw order."""
    resolution, escalated = resolve(s)
    zone = pool.zone[s.pick]
    retry_of = abandoned_retries(s, zone)
    retried = retry_of != np.arange(len(retry_of))
    s.pick = s.pick[retry_of]
    # Retries and the abandoned calls they retry keep their customer.
    keep = retried.copy()
    keep[retry_of[retried]] = True
    repeat, source = same_day_repeats(s, resolution, zone, keep)
    repeat |= retried
    pick = s.pick[source]
    fcr = (resolution == RESOLVED) & ~escalated & ~repeat
    score, answered = satisfaction(s, plan, resolution, repeat)
    return {
        "customer_id": pool.ids[pick].astype(np.int64),
        "resolution": resolution,
        "is_escalated": escalated,
        "first_contact_resolution": fcr,
        "is_repeat_contact": repeat,
        "satisfaction_score": score,
        "satisfaction_null": ~answered,
        "summary": summaries(s),
        "language": pool.language[pick],
    }
