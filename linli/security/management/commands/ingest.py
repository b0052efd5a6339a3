import signal

from django.core.management.base import BaseCommand

from linli.security.mqtt import Consumer


class Command(BaseCommand):
    help = "Consume device messages from the MQTT broker (MQTT_URL) into the database."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None)
        parser.add_argument("--client-id", default=None)
        parser.add_argument("--batch", type=int, default=None)

    def handle(self, *args, url, client_id, batch, **options):
        consumer = Consumer(url=url, client_id=client_id, batch=batch)
        signal.signal(signal.SIGTERM, lambda *_: consumer.stop())
        self.stdout.write(f"Ingest: {consumer.url.geturl()} {consumer.topic}")
        try:
            consumer.run()
        except KeyboardInterrupt:
            consumer.stop()
        self.stdout.write(f"Stored {consumer.stored} events")
