import getpass

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.models import User


class Command(BaseCommand):
    help = "Create a platform superuser (Django admin and every scope)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", help="prompted for when omitted")

    def handle(self, *args, username, password, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("passwords differ")
        User.objects.create_superuser(username=username, password=password)
        self.stdout.write(self.style.SUCCESS(f"Superuser {username} created."))
