from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from linli.core.scoping import Actor

from .live import group_for


@database_sync_to_async
def _communities(user):
    from linli.org.models import OrgUnit

    actor = Actor(user)
    if not actor.has_perm("security.view_alarm"):
        return []
    return list(
        OrgUnit.objects.visible_to(actor).filter(kind="community").values_list("pk", flat=True)
    )


class AlarmConsumer(AsyncJsonWebsocketConsumer):
    """Joins the groups of every community whose alarms the operator may see."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.groups_joined = [group_for(pk) for pk in await _communities(user)]
        if not self.groups_joined:
            await self.close()
            return
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def alarm_changed(self, message):
        await self.send_json({"alarm": message["alarm"], "severity": message["severity"]})
