"""Booking under contention on PostgreSQL: 50 clients on one slot, beside the reference of 50
clients on 50 different slots of the same resource (no contention for seats), same run.

    .venv/bin/python benchmarks/sharing.py [--clients 50] [--pg postgres://postgres@127.0.0.1:5432/linli_bench_sharing]

Runs in a fresh subprocess on a freshly created database. Every client is a resident of another
community booking through ``booking_create`` (rules, quota, resource lock, seat rows). Reports
wall-clock seconds for all clients to finish and how many succeeded; the last line is JSON.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=TZ)


def run_one(clients):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from linli.core.scoping import Actor
    from tests.factories import World, make_user
    from tests.sharing.conftest import make_resource

    world = World.build()
    resource = make_resource(
        world, capacity=3, needs_approval=False, max_notice_days=30, max_per_week=50
    )
    users = [make_user(f"bench{i}", "resident", world.units["cB"]) for i in range(clients * 2)]

    def race(group, slot_of):
        barrier = threading.Barrier(len(group))
        ok = []

        def attempt(i, user):
            try:
                barrier.wait()
                start = slot_of(i)
                from linli.sharing import services

                services.booking_create(
                    actor=Actor(user),
                    resource=resource,
                    start=start,
                    end=start + datetime.timedelta(hours=1),
                    now=NOW,
                )
                ok.append(i)
            except ValidationError:
                pass
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(i, u)) for i, u in enumerate(group)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started, len(ok)

    one_slot = datetime.datetime(2026, 12, 2, 10, tzinfo=TZ)
    contended_s, contended_ok = race(users[:clients], lambda i: one_slot)

    def spread(i):
        day, hour = divmod(i, 12)
        return datetime.datetime(2026, 12, 3 + day, 8 + hour, tzinfo=TZ)

    reference_s, reference_ok = race(users[clients:], spread)
    return {
        "vendor": connection.vendor,
        "clients": clients,
        "capacity": resource.capacity,
        "one_slot_seconds": round(contended_s, 3),
        "one_slot_succeeded": contended_ok,
        "reference_distinct_slots_seconds": round(reference_s, 3),
        "reference_succeeded": reference_ok,
    }


def fresh_pg(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/linli_bench_sharing")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.clients)))
        return
    fresh_pg(args.pg)
    env = {**os.environ, "DATABASE_URL": args.pg, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--clients", str(args.clients)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{result['clients']} clients, one slot of {result['capacity']}: "
        f"{result['one_slot_succeeded']} booked in {result['one_slot_seconds']} s; reference "
        f"(distinct slots): {result['reference_succeeded']} in "
        f"{result['reference_distinct_slots_seconds']} s"
    )
    result["exactly_capacity"] = result["one_slot_succeeded"] == result["capacity"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
