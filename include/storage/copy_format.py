"""Turn generated blocks into bytes for COPY: PostgreSQL binary (the loader) and text (SQL files).

Binary COPY rows are built with whole-column numpy copies: no Python code runs per row and,
unlike scattering through index arrays, no index is built per byte written. A block is
encoded in slices of rows, each in two steps:

1. The slice is laid out as a padded byte matrix, one line per row, every field in a fixed
   slot at its widest. Constant bytes (field count, length words) come from a template line;
   values are written a column at a time through a structured-dtype view (which also makes
   them big-endian); NULL length words, vocabulary words and session-id digits are picked
   from small tables.
2. Each line is cut into pieces that end after a variable-length slot (a NULLable value or a
   word), and each piece is copied at its full width to its rows' offsets in the output, one
   fancy assignment (one index per row) per piece. The unused tail of a piece is overwritten
   later: pieces are written in row order and the leading fixed piece last, so a tail only
   ever covers the rest of its own row or the start of the next. `_Layout` checks at import
   that the tails are short enough for that.

The output buffer is kept per thread and reused: page faults on a fresh block-sized array
would cost about as much as the encoding itself.
"""

from __future__ import annotations

import csv
import threading

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

_SESSION_PREFIX = b"S"
_SESSION_DIGITS = 17  # written as 1 + 4 groups of 4 digits, each group looked up in _FOUR_DIGITS
_FOUR_DIGITS = np.array([f"{i:04d}".encode() for i in range(10_000)], dtype="V4")
_ROWS_PER_SLICE = 8_192  # small enough for a slice's padded lines to stay in cache

# How each column is encoded, in COLUMNS order:
#   ("value", block key, big-endian dtype, key of its NULL mask or None)
#   ("session",): "S" and the last 17 digits of interaction_id, as text
#   ("word", block key, vocabulary): the key holds indexes into the vocabulary
_FIELDS = (
    ("value", "interaction_id", ">i8", None),
    ("value", "customer_id", ">i8", None),
    ("value", "channel_id", ">i2", None),
    ("value", "interaction_type_id", ">i2", None),
    ("value", "agent_id", ">i4", "agent_null"),
    ("session",),
    ("value", "start_us", ">i8", None),
    ("value", "end_us", ">i8", None),
    ("value", "duration_seconds", ">i4", "duration_null"),
    ("value", "queue_time_seconds", ">i4", None),
    ("word", "resolution", RESOLUTIONS),
    ("value", "is_escalated", "u1", None),
    ("value", "first_contact_resolution", "u1", None),
    ("value", "is_repeat_contact", "u1", None),
    ("value", "satisfaction_score", ">i2", "satisfaction_null"),
    ("word", "summary", SUMMARIES),
    ("word", "language", LANGUAGES),
    ("value", "end_us", ">i8", None),
)


class _Choice:
    """A slot whose bytes and length are picked per row by an index (a word, NULL or not)."""

    def __init__(self, field: str, key: str, table: np.ndarray, lengths: list[int]) -> None:
        self.field, self.key, self.table = field, key, table
        self.lengths = np.array(lengths, dtype=np.int64)

    def index(self, block: dict[str, np.ndarray]) -> np.ndarray:
        index = block[self.key]
        return index.view(np.uint8) if index.dtype == np.bool_ else index


class _Piece:
    """Consecutive slots of the padded line ending at most at one variable-length slot."""

    def __init__(self, start: int, stop: int, fixed: int, choice: _Choice | None) -> None:
        self.start, self.stop, self.width = start, stop, stop - start
        self.fixed = fixed  # bytes always written; the choice adds its per-row length
        self.choice = choice
        self.min_length = fixed + (int(choice.lengths.min()) if choice else 0)


class _Layout:
    """The padded line (a structured dtype and a template) and how it is cut into pieces."""

    def __init__(self) -> None:
        fields: dict[str, tuple[object, int]] = {}  # structured dtype field -> (format, offset)
        template = bytearray(len(_FIELDS).to_bytes(2, "big"))
        self.values: list[tuple[str, str]] = []  # (dtype field, block key)
        self.choices: list[_Choice] = []
        pieces: list[_Piece] = []
        for i, spec in enumerate(_FIELDS):
            off, name = len(template), f"f{i}"
            choice = None
            if spec[0] == "value":
                _, key, dtype, null = spec
                width = np.dtype(dtype).itemsize
                fields[name] = (dtype, off + 4)
                self.values.append((name, key))
                template += width.to_bytes(4, "big") + bytes(width)
                if null is not None:  # index 0: a value; 1: NULL, a length of -1 and no value
                    fields[name + "_length"] = ("V4", off)
                    table = np.array([width.to_bytes(4, "big"), b"\xff" * 4], dtype="V4")
                    choice = _Choice(name + "_length", null, table, [4 + width, 4])
            elif spec[0] == "session":
                for g in range(5):
                    fields[f"session_{g}"] = ("u1" if g == 0 else "V4", off + 5 + max(0, 4 * g - 3))
                text = len(_SESSION_PREFIX) + _SESSION_DIGITS
                template += text.to_bytes(4, "big") + _SESSION_PREFIX + bytes(_SESSION_DIGITS)
            else:
                _, key, words = spec
                # None: NULL (a length of -1 and no bytes), e.g. the summary of an abandoned call
                encoded = [
                    b"\xff" * 4 if w is None else len(w.encode()).to_bytes(4, "big") + w.encode()
                    for w in words
                ]
                width = max(len(e) for e in encoded)
                fields[name] = (f"V{width}", off)
                table = np.array([e.ljust(width, b"\0") for e in encoded], dtype=f"V{width}")
                choice = _Choice(name, key, table, [len(e) for e in encoded])
                template += bytes(width)
            if choice is not None:
                self.choices.append(choice)
            if choice is not None and len(set(choice.lengths.tolist())) > 1:  # variable length
                if not pieces:  # the leading fixed bytes: the first piece, written last
                    pieces.append(_Piece(0, off, off, None))
                pieces.append(_Piece(pieces[-1].stop, len(template), off - pieces[-1].stop, choice))
        stop = pieces[-1].stop if pieces else 0
        if stop < len(template):  # the trailing fixed bytes (or all of them, if none vary)
            pieces.append(_Piece(stop, len(template), len(template) - stop, None))
        self.width = len(template)
        self.template = np.frombuffer(bytes(template), dtype=np.uint8)
        formats, offsets = zip(*fields.values(), strict=True)
        self.dtype = np.dtype(
            {"names": list(fields), "formats": formats, "offsets": offsets, "itemsize": self.width}
        )
        self.pieces = pieces  # in row order
        self.write_order = pieces[1:] + pieces[:1]
        self._check()

    def _check(self) -> None:
        """Each piece's unused tail must only cover bytes written after it (see the module doc)."""
        min_row = sum(p.min_length for p in self.pieces)
        for k, piece in enumerate(self.pieces[1:], start=1):
            after = sum(p.min_length for p in self.pieces[k + 1 :]) + self.pieces[0].min_length
            if piece.width - piece.min_length > after or piece.width > min_row:
                raise ValueError(f"binary COPY layout: piece at byte {piece.start} has too long a tail")


_LAYOUT = _Layout()
_SCRATCH = threading.local()


def _scratch(name: str, shape: int, dtype: np.dtype | type) -> np.ndarray:
    """This thread's reusable buffer `name`, with at least `shape` items.

    Reused because on a fresh array of a block's size, page faults cost more than encoding.
    """
    buffer = getattr(_SCRATCH, name, None)
    if buffer is None or len(buffer) < shape:
        buffer = np.empty(shape, dtype=dtype)
        setattr(_SCRATCH, name, buffer)
    return buffer


def encode_binary(block: dict[str, np.ndarray]) -> bytes:
    """Binary COPY rows (no header or trailer) for one block."""
    layout = _LAYOUT
    n = len(block["interaction_id"])
    out = _scratch("out", (n + 1) * layout.width, np.uint8)  # rows are at most that wide
    rows = _scratch("rows", min(n, _ROWS_PER_SLICE), layout.dtype)
    line = rows.view(np.uint8).reshape(len(rows), layout.width)
    size = 0  # bytes written so far
    for start in range(0, n, _ROWS_PER_SLICE):
        b = {key: values[start : start + _ROWS_PER_SLICE] for key, values in block.items()}
        m = len(b["interaction_id"])
        r, r_bytes = rows[:m], line[:m]
        r_bytes[:] = layout.template
        for name, key in layout.values:
            r[name] = b[key]
        rest = b["interaction_id"] % 10**_SESSION_DIGITS
        for g in range(4, 0, -1):
            high = rest // 10_000
            r[f"session_{g}"] = _FOUR_DIGITS[rest - high * 10_000]
            rest = high
        r["session_0"] = rest + ord("0")
        for choice in layout.choices:
            r[choice.field] = choice.table[choice.index(b)]
        lengths = [
            p.fixed + p.choice.lengths[p.choice.index(b)] if p.choice else p.fixed for p in layout.pieces
        ]
        row_length = sum(lengths)
        row_end = np.cumsum(row_length) + size
        position, cursor = {}, row_end - row_length
        for p, length in zip(layout.pieces, lengths, strict=True):
            position[p] = cursor
            cursor = cursor + length
        for p in layout.write_order:
            target = np.ndarray((len(out) - p.width + 1,), dtype=f"V{p.width}", buffer=out, strides=(1,))
            target[position[p]] = r_bytes[:, p.start : p.stop].view(f"V{p.width}")[:, 0]
        size = int(row_end[-1])
    return out[:size].tobytes()


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


def _copy_text_escape(value: str) -> str:
    return value.translate(_COPY_TEXT_ESCAPES)


#: COPY text format's escapes: a backslash, and the delimiter and line ends a value may hold.
_COPY_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def to_copy_text(frame: pd.DataFrame) -> str:
    """COPY text format (tab-separated, \\N for NULL) for psql `COPY ... FROM stdin` blocks.

    Text values are escaped the way COPY's text format reads them back (backslash, tab,
    newline, carriage return), never CSV-quoted: a value comes back exactly as it was.
    """
    frame = frame.copy()
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name].dtype):
            frame[name] = frame[name].map(
                lambda v: _copy_text_escape(v) if isinstance(v, str) else v, na_action="ignore"
            )
    return frame.to_csv(
        sep="\t",
        header=False,
        index=False,
        na_rep="\\N",
        date_format="%Y-%m-%d %H:%M:%S.%f+00",
        quoting=csv.QUOTE_NONE,
        quotechar="\x1f",
    )
