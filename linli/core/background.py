"""Run a Celery task after the current transaction commits.

With a broker (REDIS_URL), the task is queued for a worker. In the embedded deployment there is
no worker, so the task runs in a daemon thread of this process: the request returns at once and
the page can poll for progress, exactly as with a worker. ``LINLI_BACKGROUND_INLINE`` (tests)
runs it synchronously at commit instead.
"""

import threading

from django.conf import settings
from django.db import close_old_connections, transaction


def _run_in_thread(task, args):
    def target():
        close_old_connections()
        try:
            task.apply(args=args)
        finally:
            close_old_connections()

    threading.Thread(target=target, name=f"linli-{task.name}", daemon=True).start()


def run_later(task, *args):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: task.delay(*args))
    elif settings.LINLI_BACKGROUND_INLINE:
        transaction.on_commit(lambda: task.apply(args=args, throw=True))
    else:
        transaction.on_commit(lambda: _run_in_thread(task, args))
