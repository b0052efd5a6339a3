"""Owners' vote tally over 100,000 households on PostgreSQL (target < 0.5 s).

    .venv/bin/python benchmarks/tally.py [--households 100000]

A scratch database is created and dropped. The roll (one elector per owner, with area) and
80% turnout of ballots are written with COPY; the figure is the time of ``services.tally``
(the live tally shown to owners and staff: participation and approval by area and by head),
best of five, beside a bare ``SELECT count(*)`` over the ballots as the floor. The last line is
one JSON object.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
SERVER = "postgres://postgres@127.0.0.1:5432"
DB = "linli_bench_tally"


def psql(sql):
    subprocess.run(
        ["psql", "-q", f"{SERVER}/postgres", "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def best(fn, runs=5):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from linli.core.bulk import bulk_insert, no_gc
    from linli.core.scoping import SYSTEM
    from linli.org import services as org
    from linli.org.choices import UnitKind
    from linli.org.models import Person
    from linli.renovation import services
    from linli.renovation.choices import Matter, VoteState
    from linli.renovation.models import Ballot, Elector

    call_command("migrate", verbosity=0)
    city = org.unit_create(actor=SYSTEM, parent=None, kind=UnitKind.CITY, code="c", name="市")
    district = org.unit_create(
        actor=SYSTEM, parent=city, kind=UnitKind.DISTRICT, code="d", name="区"
    )
    street = org.unit_create(
        actor=SYSTEM, parent=district, kind=UnitKind.STREET, code="s", name="街道"
    )
    community = org.unit_create(
        actor=SYSTEM, parent=street, kind=UnitKind.COMMUNITY, code="cm", name="社区"
    )
    estate = org.estate_create(actor=SYSTEM, community=community, code="e", name="基准小区")
    project = services.project_create(actor=SYSTEM, estate=estate, title="基准项目")
    vote = services.vote_create(
        actor=SYSTEM, project=project, title="加装电梯", matter=Matter.REBUILD
    )
    rng = random.Random(7)
    n = args.households
    started = time.perf_counter()
    with no_gc():
        people = bulk_insert(Person, ({"name": f"业主{i}"} for i in range(n)))
        electors = bulk_insert(
            Elector,
            (
                {
                    "vote_id": vote.pk,
                    "person_id": pid,
                    "area": Decimal(rng.randint(4000, 14000)) / 100,
                    "units": 1,
                    "label": "业**",
                }
                for pid in people
            ),
        )
        now = timezone.now()
        bulk_insert(
            Ballot,
            (
                {
                    "vote_id": vote.pk,
                    "elector_id": eid,
                    "choice": rng.choice(["for"] * 4 + ["against"]),
                    "channel": "online",
                    "at": now,
                }
                for eid in electors
                if rng.random() < 0.8
            ),
        )
    load_s = time.perf_counter() - started
    vote.state = VoteState.OPEN
    vote.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tally_s = best(lambda: services.tally(vote))
    result = services.tally(vote)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM renovation_ballot WHERE vote_id = %s", [vote.pk])

    floor_s = best(floor)
    connection.close()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    print(
        json.dumps(
            {
                "households": n,
                "ballots": result["part_heads"],
                "load_s": round(load_s, 1),
                "tally_s": round(tally_s, 4),
                "tally_target_s": 0.5,
                "count_floor_s": round(floor_s, 4),
                "tally_vs_floor": round(tally_s / floor_s, 1),
                "approved": result["approved"],
            }
        )
    )


if __name__ == "__main__":
    main()
