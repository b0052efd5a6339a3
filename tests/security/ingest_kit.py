"""Running `linli ingest` as a separate process against the test database, for the tests that
kill it or take its database away mid-stream."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_ingest(client_id, topic, *, output=subprocess.DEVNULL, **env):
    """The consumer in its own process with its own MQTT session; ``env`` adds variables."""
    return subprocess.Popen(
        [sys.executable, "-m", "linli.cli", "ingest"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "LINLI_MQTT_CLIENT_ID": client_id,
            "LINLI_MQTT_TOPIC": topic,
            "LINLI_INGEST_BATCH": "50",
            **env,
        },
        stdout=output,
        stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.DEVNULL,
    )


def wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
