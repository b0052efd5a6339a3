from django.core.management.base import BaseCommand, CommandError

from linli.ledger import selectors
from linli.ledger.models import Account, Transfer


class Command(BaseCommand):
    help = "Prove every balance equals the sum of its transfers and each unit sums to zero."

    def handle(self, *args, **options):
        problems = selectors.check()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"ledger is inconsistent: {len(problems)} problem(s)")
        self.stdout.write(
            f"ledger ok: {Account.objects.count()} accounts, {Transfer.objects.count()} transfers"
        )
