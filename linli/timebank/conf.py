"""Time-bank defaults (Nanjing's rules, DOMAIN.md §4); a city or street Policy overrides them."""

import os

WITHDRAW_AGE = int(os.environ.get("LINLI_TIMEBANK_WITHDRAW_AGE", "60"))
HARDSHIP_AGE = int(os.environ.get("LINLI_TIMEBANK_HARDSHIP_AGE", "0"))
LIFETIME_CAP_MINUTES = int(os.environ.get("LINLI_TIMEBANK_CAP_MINUTES", str(1500 * 60)))
DAILY_CAP_MINUTES = int(os.environ.get("LINLI_TIMEBANK_DAILY_CAP_MINUTES", str(8 * 60)))
VOLUNTEER_MIN_AGE = 18
# The same volunteer and elder confirming more than this many services in 30 days is flagged.
PAIR_FLAG_PER_30_DAYS = int(os.environ.get("LINLI_TIMEBANK_PAIR_FLAG", "12"))
