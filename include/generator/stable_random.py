"""Counter-based randomness: a value per (seed, key, field), independent of call order.

The customer base uses it so that customer N looks the same whichever day, order or
process first materializes it. Daily interaction blocks use numpy's default_rng instead.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def uniform(seed: int, keys: np.ndarray, field: int) -> np.ndarray:
    """Uniform [0, 1) floats, one per key, for this seed and field number."""
    with np.errstate(over="ignore"):
        salt = _splitmix64(np.array([seed * 1_000_003 + field], dtype=np.uint64))[0]
        bits = _splitmix64(np.asarray(keys, dtype=np.uint64) ^ salt)
    return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def normal(seed: int, keys: np.ndarray, field: int) -> np.ndarray:
    """Standard normal values (Box-Muller on two stable uniforms)."""
    u1 = uniform(seed, keys, field)
    u2 = uniform(seed, keys, field + 7_919)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
