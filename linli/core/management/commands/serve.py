import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Linli over ASGI (uvicorn) with its background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("LINLI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument(
            "--no-jobs", action="store_true", help="do not run background and periodic jobs"
        )

    def handle(self, *args, host, port, workers, no_jobs, **options):
        import uvicorn

        call_command("collectstatic", interactive=False, verbosity=0)
        children = []
        if not no_jobs:
            children = self.start_jobs()
        self.stdout.write(self.style.SUCCESS(f"Linli: http://{host}:{port}/"))
        try:
            uvicorn.run(
                "linli.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="info",
                proxy_headers=True,
                lifespan="off",
            )
        finally:
            for child in children:
                child.terminate()

    def start_jobs(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            from linli.core.jobs import EmbeddedScheduler
            from linli.core.registry import start_embedded

            EmbeddedScheduler().start()
            start_embedded()
            self.stdout.write("Background jobs: in-process (no REDIS_URL)")
            return []
        celery = shutil.which("celery") or os.path.join(os.path.dirname(sys.executable), "celery")
        worker = subprocess.Popen(
            [celery, "-A", "linli", "worker", "--beat", "--loglevel=info", "--concurrency=2"]
        )
        self.stdout.write("Background jobs: Celery worker with beat on Redis")
        return [worker]
