from django.urls import path

from .consumers import AlarmConsumer

websocket_urlpatterns = [path("ws/security/alarms/", AlarmConsumer.as_asgi())]
