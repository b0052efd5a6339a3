"""`linli serve` starts a real ASGI server that serves pages and static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.serial


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_over_asgi(tmp_path):
    linli = Path(sys.executable).with_name("linli")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "LINLI_VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    subprocess.run([str(linli), "migrate", "--verbosity", "0"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(linli), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert body is not None and "社区治理平台" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/linli/app.css") as r:
            assert b"--brand" in r.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
