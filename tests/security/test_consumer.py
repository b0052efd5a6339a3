from types import SimpleNamespace

from linli.security import mqtt
from linli.security.models import DeadLetter, Event
from tests.security.test_ingest import ev


def test_a_poison_message_is_dead_lettered_and_the_rest_stored(devices, monkeypatch):
    real = mqtt.ingest_batch

    def flaky(pairs, **kwargs):
        if any(topic.endswith("/poison") for topic, _p in pairs):
            raise ValueError("boom")
        return real(pairs, **kwargs)

    monkeypatch.setattr(mqtt, "ingest_batch", flaky)
    # The test's own transaction must survive: no connection recycling, no waiting.
    monkeypatch.setattr(mqtt, "close_old_connections", lambda: None)
    monkeypatch.setattr(mqtt, "time", SimpleNamespace(sleep=lambda s: None))
    consumer = mqtt.Consumer(client_id="unit-test-consumer")
    good = ev(devices["smoke"], "good-1")
    msgs = [SimpleNamespace(topic=t, payload=p) for t, p in [good, ("linli/x/y/poison", b"{}")]]
    assert consumer._store(msgs) == 1
    assert Event.objects.filter(event_id="good-1").exists()
    assert DeadLetter.objects.get().reason == "processing error: ValueError"
