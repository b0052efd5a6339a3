import time

from django.core.management.base import BaseCommand

from linli.core.demodata import load_all


class Command(BaseCommand):
    help = "Load the demo data of every module into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="app labels to load (default: all)")

    def handle(self, *args, only, **options):
        started = time.monotonic()
        ctx = load_all(only=only, log=self.stdout.write)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded in {elapsed:.1f}s. Logins (password {ctx.password}):")
        )
        for login in ctx.logins:
            self.stdout.write(f"  {login.username:<14} {login.role:<14} {login.where}")
