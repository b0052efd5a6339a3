"""Done when: a smoke event published with mosquitto_pub appears live on an open console, is
acknowledged and closed with a resolution code."""

import json
import socket
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest

from linli.security.ingest import signed
from linli.security.models import Alarm
from linli.security.mqtt import Consumer
from tests.browser_kit import DESKTOP, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def asgi_url():
    """Uvicorn in this process: WebSockets, and the same in-memory channel layer as the
    ingest consumer thread below."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            "linli.asgi:application",
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def consumer():
    run = uuid.uuid4().hex[:8]
    c = Consumer(client_id=f"test-browser-{run}", topic=f"$share/b{run}/linli/+/+/+", flush_ms=10)
    thread = threading.Thread(target=c.run, daemon=True)
    thread.start()
    yield c
    c.stop()
    thread.join(5)
    # Drop the broker's persistent session of this test's consumer.
    cleaner = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=c.client_id, clean_session=True
    )
    cleaner.connect("127.0.0.1", 1883)
    cleaner.disconnect()


def test_smoke_alarm_appears_live_and_is_handled(browser, asgi_url, consumer, devices, world):
    operator = world.users["security_a"]
    operator.set_password("pw-operator")
    operator.save()
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=asgi_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, "security_a", "pw-operator")
    page.goto("/console/security/")
    page.wait_for_selector("#live-state[data-live]")
    assert page.locator("#alarm-rows tr[data-alarm]").count() == 0

    smoke = devices["smoke"]
    body = signed(
        {"event_id": "smoke-1", "type": "smoke", "data": {}, "ts": datetime.now(UTC).isoformat()},
        smoke.secret,
    )
    subprocess.run(
        [
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-q",
            "1",
            "-t",
            f"linli/{smoke.community.code}/{smoke.code}/event",
            "-m",
            json.dumps(body),
        ],
        check=True,
    )
    row = page.locator("#alarm-rows tr[data-alarm]")
    row.first.wait_for(timeout=3_000)
    assert "烟雾" in row.first.inner_text()
    assert "sev-critical" in row.first.get_attribute("class")

    page.keyboard.press("a")
    page.locator("#alarm-rows td.status", has_text="已确认").wait_for()
    # The acknowledgement comes back twice (the response and the live push); choose the
    # resolution once the row has stopped being replaced.
    select = page.locator("#alarm-rows select[name=resolution]")
    for _attempt in range(5):
        select.select_option("test")
        page.wait_for_timeout(300)
        if select.input_value() == "test":
            break
    page.click("#alarm-rows button.close")
    page.locator("#alarm-rows td.empty").wait_for()
    alarm = Alarm.objects.get(device=smoke)
    assert alarm.status == "closed" and alarm.resolution == "test"
    assert alarm.acknowledged_by == operator
    context.close()
