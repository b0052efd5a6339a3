"""Settings of the sharing module (environment variables with defaults)."""

import os

# Repeat no-shows within this many days bar a person from booking.
NO_SHOW_WINDOW_DAYS = int(os.environ.get("LINLI_SHARING_NO_SHOW_WINDOW_DAYS", "90"))
NO_SHOW_LIMIT = int(os.environ.get("LINLI_SHARING_NO_SHOW_LIMIT", "3"))
# A confirmed booking not checked in this long after its start counts as a no-show.
NO_SHOW_GRACE_MINUTES = int(os.environ.get("LINLI_SHARING_NO_SHOW_GRACE_MINUTES", "30"))
REMIND_HOURS_BEFORE = int(os.environ.get("LINLI_SHARING_REMIND_HOURS", "24"))
# Cancelling later than this before the start is refused (the place could not be reused).
CANCEL_MIN_HOURS = int(os.environ.get("LINLI_SHARING_CANCEL_MIN_HOURS", "2"))
