"""Version 1 of the draw, deterministic from published data only.

    key(ref) = min over k in 1..weight of HMAC-SHA256(seed + "|" + public_value, f"{ref}#{k}")
    order    = entries sorted by (tier, key, ref)
    winners  = the first ``slots`` of the order

Anyone with the seed (revealed at the draw, matching the hash published at creation), the
public value (fixed when entries closed) and the entry list can recompute the order, e.g.:

    import hashlib, hmac
    k = lambda ref, w: min(hmac.new(f"{seed}|{public}".encode(), f"{ref}#{i}".encode(),
                                    hashlib.sha256).hexdigest() for i in range(1, w + 1))
    order = sorted(entries, key=lambda e: (e["tier"], k(e["ref"], e["weight"]), e["ref"]))

A weight of w is w tickets: the entry keeps the best of w keys.
"""

import hashlib
import hmac


def seed_hash(seed):
    return hashlib.sha256(seed.encode()).hexdigest()


def entry_key(seed, public_value, ref, weight=1):
    secret = f"{seed}|{public_value}".encode()
    return min(
        hmac.new(secret, f"{ref}#{k}".encode(), hashlib.sha256).hexdigest()
        for k in range(1, weight + 1)
    )


def order(seed, public_value, entries):
    """``entries``: iterable of dicts with ref, tier, weight. Returns [(ref, key)] in order."""
    keyed = [
        (e["tier"], entry_key(seed, public_value, e["ref"], e["weight"]), e["ref"]) for e in entries
    ]
    return [(ref, key) for _tier, key, ref in sorted(keyed)]
