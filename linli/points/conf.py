"""Settings of the points module (environment variables with defaults)."""

import os

# How long a redemption waits to be collected before its hold and stock are released.
REDEMPTION_DAYS = int(os.environ.get("LINLI_POINTS_REDEMPTION_DAYS", "30"))
