"""Turn generated blocks into bytes for COPY: PostgreSQL binary (the loader) and text (SQL files).

Binary COPY rows are assembled with numpy scatter writes, column by column: every field is
one of a few fixed-width shapes (a value, NULL, or a word from a small vocabulary), so no
Python code runs per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from include.generator.interactions import LANGUAGES, RESOLUTIONS, SUMMARIES

#: customer_interactions columns in the order the encoders write them.
COLUMNS = (
    "interaction_id",
    "customer_id",
    "channel_id",
    "interaction_type_id",
    "agent_id",
    "session_id",
    "start_timestamp",
    "end_timestamp",
    "duration_seconds",
    "queue_time_seconds",
    "resolution_status",
    "is_escalated",
    "first_contact_resolution",
    "is_repeat_contact",
    "satisfaction_score",
    "interaction_summary",
    "language",
    "created_at",
)
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
BINARY_TRAILER = b"\xff\xff"
_NULL = b"\xff\xff\xff\xff"


class _Field:
    """One column: per-row byte length and a writer into the output buffer."""

    def __init__(self, lengths: np.ndarray, write) -> None:
        self.lengths = lengths
        self.write = write


def _scatter(out: np.ndarray, pos: np.ndarray, data: np.ndarray) -> None:
    width = data.shape[1]
    out[pos[:, None] + np.arange(width)] = data


def _value(values: np.ndarray, dtype: str, null: np.ndarray | None = None) -> _Field:
    width = np.dtype(dtype).itemsize
    prefix = np.frombuffer(np.array([width], dtype=">i4").tobytes(), dtype=np.uint8)
    raw = np.ascontiguousarray(values.astype(dtype)).view(np.uint8).reshape(-1, width)
    n = len(values)
    lengths = np.full(n, 4 + width, dtype=np.int64)
    if null is not None:
        lengths[null] = 4

    def write(out: np.ndarray, pos: np.ndarray) -> None:
        rows = slice(None) if null is None else ~null
        p, r = pos[rows], raw[rows]
        _scatter(out, p, np.broadcast_to(prefix, (len(p), 4)))
        _scatter(out, p + 4, r)
        if null is not None:
            _scatter(out, pos[null], np.broadcast_to(np.frombuffer(_NULL, np.uint8), (int(null.sum()), 4)))

    return _Field(lengths, write)


def _vocabulary(index: np.ndarray, words: tuple[str, ...]) -> _Field:
    encoded = [len(w.encode()).to_bytes(4, "big") + w.encode() for w in words]
    sizes = np.array([len(e) for e in encoded], dtype=np.int64)

    def write(out: np.ndarray, pos: np.ndarray) -> None:
        for k, e in enumerate(encoded):
            rows = index == k
            if rows.any():
                _scatter(
                    out, pos[rows], np.broadcast_to(np.frombuffer(e, np.uint8), (int(rows.sum()), len(e)))
                )

    return _Field(sizes[index], write)


def _digits(values: np.ndarray, prefix: bytes, width: int) -> _Field:
    """Fixed-width text like S20260301000000001 from integers."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    ascii_ = ((values[:, None] // powers) % 10 + 48).astype(np.uint8)
    head = np.frombuffer((len(prefix) + width).to_bytes(4, "big") + prefix, np.uint8)
    data = np.concatenate([np.broadcast_to(head, (len(values), len(head))), ascii_], axis=1)
    return _Field(
        np.full(len(values), data.shape[1], dtype=np.int64), lambda out, pos: _scatter(out, pos, data)
    )


def encode_binary(block: dict[str, np.ndarray]) -> bytes:
    """Binary COPY rows (no header or trailer) for one block."""
    b = block
    fields = [
        _value(b["interaction_id"], ">i8"),
        _value(b["customer_id"], ">i8"),
        _value(b["channel_id"], ">i2"),
        _value(b["interaction_type_id"], ">i2"),
        _value(b["agent_id"], ">i4", b["agent_null"]),
        _digits(b["interaction_id"], b"S", 17),
        _value(b["start_us"], ">i8"),
        _value(b["end_us"], ">i8"),
        _value(b["duration_seconds"], ">i4", b["duration_null"]),
        _value(b["queue_time_seconds"], ">i4"),
        _vocabulary(b["resolution"], RESOLUTIONS),
        _value(b["is_escalated"], "u1"),
        _value(b["first_contact_resolution"], "u1"),
        _value(b["is_repeat_contact"], "u1"),
        _value(b["satisfaction_score"], ">i2", b["satisfaction_null"]),
        _vocabulary(b["summary"], SUMMARIES),
        _vocabulary(b["language"], LANGUAGES),
        _value(b["end_us"], ">i8"),
    ]
    n = len(b["interaction_id"])
    row_len = 2 + sum(f.lengths for f in fields)
    row_start = np.concatenate([[0], np.cumsum(row_len)[:-1]])
    out = np.empty(int(row_len.sum()), dtype=np.uint8)
    count = np.frombuffer(len(fields).to_bytes(2, "big"), np.uint8)
    _scatter(out, row_start, np.broadcast_to(count, (n, 2)))
    pos = row_start + 2
    for f in fields:
        f.write(out, pos)
        pos = pos + f.lengths
    return out.tobytes()


def _nullable(values: np.ndarray, null: np.ndarray, dtype: str) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(dtype.lower()), null.copy())


def to_frame(block: dict[str, np.ndarray]) -> pd.DataFrame:
    """The block as a DataFrame with the table's columns and SQL NULLs (tests, SQL files)."""
    b = block
    ts = pd.Timestamp("2000-01-01", tz="UTC")
    return pd.DataFrame(
        {
            "interaction_id": b["interaction_id"],
            "customer_id": b["customer_id"],
            "channel_id": b["channel_id"],
            "interaction_type_id": b["interaction_type_id"],
            "agent_id": _nullable(b["agent_id"], b["agent_null"], "Int32"),
            "session_id": pd.Series(b["interaction_id"]).map("S{:017d}".format),
            "start_timestamp": ts + pd.to_timedelta(b["start_us"], unit="us"),
            "end_timestamp": ts + pd.to_timedelta(b["end_us"], unit="us"),
            "duration_seconds": _nullable(b["duration_seconds"], b["duration_null"], "Int32"),
            "queue_time_seconds": b["queue_time_seconds"],
            "resolution_status": np.array(RESOLUTIONS)[b["resolution"]],
            "is_escalated": b["is_escalated"],
            "first_contact_resolution": b["first_contact_resolution"],
            "is_repeat_contact": b["is_repeat_contact"],
            "satisfaction_score": _nullable(b["satisfaction_score"], b["satisfaction_null"], "Int16"),
            "interaction_summary": np.array(SUMMARIES)[b["summary"]],
            "language": np.array(LANGUAGES)[b["language"]],
            "created_at": ts + pd.to_timedelta(b["end_us"], unit="us"),
        }
    )[list(COLUMNS)]


def to_copy_text(frame: pd.DataFrame) -> str:
    """COPY text format (tab-separated, \\N for NULL) for psql `COPY ... FROM stdin` blocks."""
    return frame.to_csv(
        sep="\t", header=False, index=False, na_rep="\\N", date_format="%Y-%m-%d %H:%M:%S.%f+00"
    )
