from django.core.management import call_command
from django.core.management.base import BaseCommand

from linli.core.demodata import demo_loaded


class Command(BaseCommand):
    help = "Migrate, load the demo data (once) and serve it at http://127.0.0.1:8000/."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="only migrate and load")

    def handle(self, *args, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            call_command("load_demo")
        if not no_serve:
            call_command("serve", port=port)
