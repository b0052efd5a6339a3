import pytest
from django.core import mail
from django.urls import reverse

from linli.core import notify
from linli.core.models import Notification
from linli.core.notify import LoggingSmsBackend

pytestmark = pytest.mark.django_db


def test_inbox_and_outbound_after_commit(world, django_capture_on_commit_callbacks):
    user = world.users["resident_a1"]
    user.email = "r@example.com"
    user.save()
    LoggingSmsBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.notify(
            [user], "停水通知", "明天停水", channels=(notify.INBOX, notify.EMAIL, notify.SMS)
        )
    assert Notification.objects.filter(user=user).count() == 1
    assert mail.outbox == [] and LoggingSmsBackend.sent == []
    for callback in callbacks:
        callback()
    assert mail.outbox[0].subject == "停水通知"
    assert LoggingSmsBackend.sent == [(user.phone, "【邻里】停水通知")]


def test_unread_count_and_read(world, client_for):
    user = world.users["resident_a1"]
    notify.notify([user, world.users["resident_b1"]], "议事会通知")
    client = client_for(user)
    home = client.get(reverse("m:home")).text
    assert '<span class="badge">1</span>' in home
    note = Notification.objects.get(user=user)
    other = Notification.objects.get(user=world.users["resident_b1"])
    assert client.get(reverse("m:core:notification", args=[other.pk])).status_code == 404
    client.get(reverse("m:core:notification", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None
    other.refresh_from_db()
    assert other.read_at is None
