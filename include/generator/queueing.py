"""The day's service: a first-come-first-served multi-server queue per queue, with abandonment.

Each caller has a patience: waits and abandoned contacts come from arrivals against the staff
actually on shift, so a busy hour or an understaffed day shows longer waits.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from include.generator import parameters
from include.generator.workforce import QUEUES, SKILLS, US_PER_DAY, Shifts

_SEAT_BITS = 24  # seat index packed under the time in the service heap


@dataclass(frozen=True)
class Service:
    """Per live arrival: the shift that served it (-1: abandoned), wait and handle time."""

    shift: np.ndarray  # int64 index into Shifts (-1 when abandoned)
    wait_us: np.ndarray  # int64: until answered, or until the caller gave up
    handle_s: np.ndarray  # int32 seconds (0 when abandoned)


def _seat_segments(shifts: Shifts, own: np.ndarray, seats_per: int) -> tuple[list, list, list, np.ndarray]:
    """Per seat and stretch on duty (seat-major within each stretch): start, end, next stretch
    (-1: none), and when the seat's work must end (see parameters.MIDNIGHT_HANDOVER_SECONDS).

    The batch is one UTC day: no contact is taken up after its midnight; a shift begun the day
    before takes contacts from the handover on; a shift running past midnight wraps up by it."""
    handover = parameters.MIDNIGHT_HANDOVER_SECONDS * 1_000_000
    seat_shift = np.repeat(own, seats_per)
    starts, ends = shifts.take(seat_shift).segments()
    began_before = (shifts.start[seat_shift] < 0)[:, None]
    starts = np.maximum(starts, np.where(began_before, handover, 0))
    ends = np.minimum(ends, US_PER_DAY)
    k, stretches = starts.shape
    nxt = np.arange(k)[None, :] + k * np.arange(1, stretches + 1)[:, None]
    nxt[-1] = -1
    runs_past = shifts.end[seat_shift] > US_PER_DAY
    wrap_up = np.where(runs_past, US_PER_DAY + handover, np.iinfo(np.int64).max // 4)
    return (
        starts.T.ravel().tolist(),
        ends.T.ravel().tolist(),
        nxt.ravel().tolist(),
        np.tile(wrap_up, stretches),
    )


def serve(
    shifts: Shifts,
    queue: np.ndarray,
    arrival_us: np.ndarray,
    patience_us: np.ndarray,
    handle_s: np.ndarray,
    usable: np.ndarray,
    store: np.ndarray | None = None,
) -> Service:
    """First come, first served per queue, over the seats of the agents on shift.

    Arrivals must be sorted by time; `usable` are the shifts (indexes) that may serve them.
    Each agent-shift offers `concurrency` seats of its queue; a seat takes contacts in the
    stretches between the shift's breaks (a contact may run past a break or the end, as real
    calls do). A contact takes the seat free earliest; if that is later than its patience
    allows, it is abandoned. The handle time is scaled by the agent's skill. Pure Python over
    a heap (about 1 us a contact): the one sequential step of a day. `store`: per arrival, the
    store (time zone) whose agents serve it, -1: the center's.
    """
    n = len(arrival_us)
    served_by = np.full(n, -1, dtype=np.int64)
    wait = np.zeros(n, dtype=np.int64)
    handle = np.zeros(n, dtype=np.int32)
    skill_factor = np.array([parameters.SKILL_HANDLE_FACTOR[s] for s in SKILLS])
    store = np.full(n, -1) if store is None else store
    for q, place in sorted(set(zip(queue.tolist(), store.tolist(), strict=True))):
        if q < 0:
            continue
        rows = np.flatnonzero((queue == q) & (store == place))
        own = usable[(shifts.queue[usable] == q) & (shifts.store[usable] == place)]
        if len(own) == 0:  # (interactions.overflow sends such contacts to a staffed queue first)
            wait[rows] = patience_us[rows]
            continue
        seats_per = parameters.SERVICE_GROUPS[QUEUES[q][1]]["concurrency"]
        seg_start, seg_end, next_seg, wrap_up = _seat_segments(shifts, own, seats_per)
        seg_shift = np.tile(np.repeat(own, seats_per), len(seg_start) // (len(own) * seats_per))
        factor = skill_factor[shifts.skill[seg_shift]].tolist()
        got, waited, took = _serve_queue(
            seg_start, seg_end, next_seg, wrap_up.tolist(), factor, len(own) * seats_per,
            arrival_us[rows].tolist(), patience_us[rows].tolist(), handle_s[rows].tolist(),
        )  # fmt: skip
        got_a = np.array(got, dtype=np.int64)
        served_by[rows] = np.where(got_a >= 0, seg_shift[np.maximum(got_a, 0)], -1)
        wait[rows] = waited
        handle[rows] = took
    return Service(shift=served_by, wait_us=wait, handle_s=handle)


def _serve_queue(
    seg_start: list, seg_end: list, next_seg: list, wrap_up: list, factor: list, seats: int,
    arrivals: list, patience: list, base: list,
) -> tuple[list, list, list]:  # fmt: skip
    """One queue's heap walk: (stretch index or -1, wait, handle seconds) per arrival."""
    mask = (1 << _SEAT_BITS) - 1
    heap = [(seg_start[s] << _SEAT_BITS) | s for s in range(seats)]
    heapq.heapify(heap)
    got = [-1] * len(arrivals)
    waited = list(patience)  # abandoned: waited until the caller gave up
    took = [0] * len(arrivals)
    heappop, heapreplace = heapq.heappop, heapq.heapreplace
    for i, a in enumerate(arrivals):
        while heap:
            key = heap[0]
            free, s = key >> _SEAT_BITS, key & mask
            # Whole seconds, as stored: the answer comes a whole number of seconds after the
            # arrival, and the seat is free again exactly when the stored end says.
            start = a - ((a - free) // 1_000_000) * 1_000_000 if free > a else a
            if start < seg_end[s]:
                break
            nxt = next_seg[s]
            if nxt >= 0:
                later = seg_start[nxt]
                heapreplace(heap, ((later if later > free else free) << _SEAT_BITS) | nxt)
            else:
                heappop(heap)
        else:
            continue
        if start - a > patience[i]:
            continue
        h = int(base[i] * factor[s] + 0.5)
        h = min(h, (wrap_up[s] - start) // 1_000_000)
        got[i] = s
        waited[i] = start - a
        took[i] = h
        heapreplace(heap, ((start + h * 1_000_000) << _SEAT_BITS) | s)
    return got, waited, took
