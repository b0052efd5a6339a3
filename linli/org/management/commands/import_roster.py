from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from linli.accounts.models import User
from linli.core.scoping import SYSTEM, Actor
from linli.org import roster


class Command(BaseCommand):
    help = "Validate a roster (.xlsx or .csv) and import it all-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="import with this user's scope (default: system)")
        parser.add_argument("--dry-run", action="store_true", help="validate only")

    def handle(self, *args, file, user, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        actor = SYSTEM
        if user:
            found = User.objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"no such user: {user}")
            actor = Actor(found)
        data = path.read_bytes()
        try:
            if dry_run:
                report, counts = roster.validate(actor, path.name, data), None
            else:
                report, counts = roster.commit(actor, path.name, data)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for p in report.problems:
            self.stdout.write(f"  line {p['line']:>6} {p['column']}: [{p['level']}] {p['message']}")
        if not report.ok:
            raise CommandError(f"{report.errors} errors in {report.total} rows; nothing imported")
        if dry_run:
            self.stdout.write(f"{report.total} rows checked: no errors")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {counts['people']} residents, {counts['households']} new households."
                )
            )
