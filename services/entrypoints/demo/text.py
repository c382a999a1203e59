"""Column-wise text for the demo: numpy bytes arrays ('S', UTF-8) joined without a loop per row.

Every word comes from words.py; `vocab` refuses characters that would need
escaping in JSON or COPY, so values can be put together by plain joining.
"""

from __future__ import annotations

import unicodedata
from functools import reduce

import numpy as np

_UNSAFE = set('"\\\t\n\r')
_HEX = np.array([f"{i:02x}".encode() for i in range(256)], "S2").view(np.uint8).reshape(256, 2)


def vocab(words) -> np.ndarray:
    words = list(words)
    for word in words:
        if _UNSAFE & set(word) or "\x00" in word:
            raise ValueError(f"demo word {word!r} would need escaping")
    return np.array([w.encode() for w in words], dtype="S")


def cat(*parts) -> np.ndarray:
    """Join arrays and constants row by row."""
    return reduce(np.strings.add, (np.asarray(p) if not isinstance(p, bytes) else p for p in parts))


def trimmed(values: np.ndarray) -> np.ndarray:
    """The same strings in the narrowest 'S' width (padding costs memory and encoding time)."""
    width = int(np.strings.str_len(values).max(initial=1))
    if width >= values.dtype.itemsize:
        raise ValueError("a demo string filled its whole column width; widen the column")
    return values.astype(f"S{max(width, 1)}")


def ints(values) -> np.ndarray:
    return np.asarray(values, np.int64).astype("S")


def quoted(values) -> np.ndarray:
    return cat(b'"', values, b'"')


def true_false(flags) -> np.ndarray:
    return np.where(np.asarray(flags, bool), b"true", b"false")


def when(condition, value, otherwise: bytes | np.ndarray = b"") -> np.ndarray:
    return np.where(np.asarray(condition, bool), value, otherwise)


def uuid_text(raw: np.ndarray) -> np.ndarray:
    """The canonical text of (rows, 16) uuid bytes."""
    hexed = _HEX[raw].reshape(len(raw), 32)
    out = np.full((len(raw), 36), ord("-"), np.uint8)
    for start, end, at in ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24)):
        out[:, at:at + end - start] = hexed[:, start:end]
    return out.view("S36").reshape(len(raw))


def new_uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    """n random (version 4) uuids in ascending order, as (n, 16) bytes.

    Handing them out in the order rows are written lets every primary key grow
    at its right edge during COPY instead of splitting pages all over the index.
    Only the first half is sorted: the second half is independent randomness.
    """
    high = np.sort(rng.integers(0, 2**64, size=n, dtype=np.uint64) & ~np.uint64(0xF000) | np.uint64(0x4000))
    low = rng.integers(0, 2**64, size=n, dtype=np.uint64) & ~np.uint64(0xC0 << 56) | np.uint64(0x80 << 56)
    raw = np.empty((n, 2), ">u8")
    raw[:, 0], raw[:, 1] = high, low
    return raw.view(np.uint8).reshape(n, 16)


def slug(word: str) -> str:
    """Lower-case ASCII for e-mail addresses: umlauts spelled out, the rest dropped."""
    word = word.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in word).strip("-").replace("--", "-")
