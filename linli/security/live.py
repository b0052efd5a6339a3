"""Pushing alarm changes to open operator consoles over the Channels layer."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_for(community_id):
    return f"security-alarms-{community_id}"


def alarm_changed(alarm):
    """After commit, tell consoles watching the alarm's community (and everything above it)."""
    community_id, alarm_id, severity = alarm.community_id, alarm.pk, alarm.severity

    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(
            group_for(community_id),
            {"type": "alarm.changed", "alarm": alarm_id, "severity": severity},
        )

    transaction.on_commit(send)
