"""The draw algorithm ``linli-lottery-v1``: pure functions of published data only.

Inputs: the revealed seed (64 hex characters), the public value entered at close (may be
empty) and the entries as (ref, tier, weight). Steps:

1. ``key = SHA-256(seed_hex + "|" + public_value)`` (UTF-8), so the organiser, who chose the
   seed, cannot know the key before the public value is known.
2. For each entry ``a = int(HMAC-SHA256(key, ref)) + 1``, a number in ``1..2**256``; with
   ``N = 2**256`` the entry's lot is ``u = a / N``.
3. Within a tier, entries are ordered by ``u ** (1 / weight)``, largest first (weighted
   sampling without replacement, Efraimidis–Spirakis). The comparison is done exactly in
   integers: ``u_i ** (1/w_i) > u_j ** (1/w_j)`` iff ``a_i**w_j * N**w_i > a_j**w_i * N**w_j``.
   Equal lots (practically impossible) fall back to ``ref``.
4. Tiers come in ascending order (tier 0 first); positions are numbered from 1 and the first
   ``slots`` positions win; the rest form the waiting list in order.

The entries digest fixes the list at close: ``SHA-256`` of the lines ``ref|tier|weight``
(entries sorted by ref, joined by ``\\n``).
"""

import hashlib
import hmac
import secrets
from functools import cmp_to_key

ALGORITHM = "linli-lottery-v1"
_N = 1 << 256


def new_seed():
    return secrets.token_hex(32)


def seed_hash(seed):
    return hashlib.sha256(seed.encode()).hexdigest()


def entries_digest(entries):
    lines = sorted(f"{ref}|{tier}|{weight}" for ref, tier, weight in entries)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _key(seed, public_value):
    return hashlib.sha256(f"{seed}|{public_value}".encode()).digest()


def lot(seed, public_value, ref):
    """The integer ``a`` of step 2 for one entry."""
    digest = hmac.new(_key(seed, public_value), ref.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest, "big") + 1


def order(seed, public_value, entries):
    """The refs in drawn order (position 1 first)."""
    rows = [(ref, tier, weight, lot(seed, public_value, ref)) for ref, tier, weight in entries]

    def compare(x, y):
        if x[1] != y[1]:
            return -1 if x[1] < y[1] else 1
        left = x[3] ** y[2] * _N ** x[2]
        right = y[3] ** x[2] * _N ** y[2]
        if left != right:
            return -1 if left > right else 1
        return -1 if x[0] < y[0] else (1 if x[0] > y[0] else 0)

    return [row[0] for row in sorted(rows, key=cmp_to_key(compare))]
