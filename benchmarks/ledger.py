"""Ledger throughput on PostgreSQL beside pgbench, and balance reads against history length.

    .venv/bin/python benchmarks/ledger.py [--seconds 10] [--clients 8] [--history 10000000]

Runs on a scratch database (dropped and re-created): 8 client threads move points between 16
accounts for a fixed time, one transfer per transaction (``ledger.services.transfer``) and then
in batches of 50 (``ledger.services.batch``). pgbench's TPC-B-like run with the same client
count on the same server, in the same run, is the reference. Balance reads are timed on an
account with 1,000 transfers and on one with ``--history`` transfers (generated in SQL). The last
line is one JSON object.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
DB = "linli_bench_ledger"


def psql(sql, db="postgres"):
    subprocess.run(
        ["psql", "-q", f"{SERVER}/{db}", "-c", sql], check=True, stdout=subprocess.DEVNULL
    )


def pgbench(clients, seconds):
    url = f"{SERVER}/{DB}"
    subprocess.run(["pgbench", "-q", "-i", "-s", "10", url], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def run_clients(clients, seconds, work):
    done = [0] * clients
    stop = time.monotonic() + seconds

    def loop(n):
        from django.db import connection

        rng = random.Random(n)
        while time.monotonic() < stop:
            done[n] += work(rng, n, done[n])
        connection.close()

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def time_reads(accounts, repeat=1000, rounds=7):
    """Microseconds per balance read for each account: rounds alternate between the accounts
    so that drift in machine load hits both alike; the best round of each is reported."""
    from linli.ledger import selectors

    best = {a.pk: float("inf") for a in accounts}
    for _round in range(rounds):
        for account in accounts:
            selectors.balance(account)
            started = time.perf_counter()
            for _ in range(repeat):
                selectors.balance(account)
            best[account.pk] = min(best[account.pk], (time.perf_counter() - started) / repeat)
    return [best[a.pk] * 1e6 for a in accounts]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--history", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()

    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from linli.core.scoping import SYSTEM
    from linli.ledger import selectors, services
    from linli.ledger.choices import Unit

    call_command("migrate", verbosity=0)
    issuance = services.account_get_or_create(unit=Unit.POINTS, code="issuance", floor=None)
    accounts = [
        services.account_get_or_create(unit=Unit.POINTS, code=f"bench{i}") for i in range(16)
    ]
    for n, account in enumerate(accounts):
        services.transfer(
            actor=SYSTEM, debit=issuance, credit=account, amount=10**9, kind="seed", key=f"s{n}"
        )

    def single(rng, n, i):
        src, dst = rng.sample(accounts, 2)
        services.transfer(
            actor=SYSTEM,
            debit=src,
            credit=dst,
            amount=rng.randint(1, 9),
            kind="b",
            key=f"one-{n}-{i}",
        )
        return 1

    # Batches are how imports and periodic jobs move value (a street's deposits, a month's
    # expiries): each client works on its own set of accounts, as two streets' jobs would.
    own = {
        n: [
            services.account_get_or_create(unit=Unit.POINTS, code=f"batch{n}-{k}")
            for k in range(16)
        ]
        for n in range(args.clients)
    }
    for n, group in own.items():
        services.batch(
            actor=SYSTEM,
            legs=[services.Leg(issuance, a, 10**9, "seed") for a in group],
            key=f"seed-batch-{n}",
        )

    def batched(rng, n, i):
        legs = []
        for _ in range(args.batch):
            src, dst = rng.sample(own[n], 2)
            legs.append(services.Leg(src, dst, rng.randint(1, 9), "b"))
        services.batch(actor=SYSTEM, legs=legs, key=f"batch-{n}-{i}")
        return args.batch

    single_tps = run_clients(args.clients, args.seconds, single)
    batched_tps = run_clients(args.clients, args.seconds, batched)
    pgbench_tps = pgbench(args.clients, args.seconds)

    small = services.account_get_or_create(unit=Unit.POINTS, code="small-history")
    large = services.account_get_or_create(unit=Unit.POINTS, code="large-history")
    with connection.cursor() as cursor:
        for account, rows in ((small, 1000), (large, args.history)):
            # Credits from issuance, as many as asked; the stored balance is set to match so
            # that ledger_check still holds.
            cursor.execute(
                "INSERT INTO ledger_transfer (debit_id, credit_id, amount, kind, memo, rule,"
                " rule_version, key, created_at) SELECT %s, %s, 1, 'hist', '', '', 0,"
                " 'h-' || %s || '-' || g, now() FROM generate_series(1, %s) g",
                [issuance.pk, account.pk, account.pk, rows],
            )
            cursor.execute(
                "UPDATE ledger_account SET balance = balance + %s WHERE id = %s",
                [rows, account.pk],
            )
            cursor.execute(
                "UPDATE ledger_account SET balance = balance - %s WHERE id = %s",
                [rows, issuance.pk],
            )
        cursor.execute("ANALYZE ledger_transfer")
    read_small, read_large = time_reads([small, large])
    problems = selectors.check()
    connection.close()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "pgbench_tps": round(pgbench_tps, 1),
        "single_transfers_per_s": round(single_tps, 1),
        "batched_transfers_per_s": round(batched_tps, 1),
        "single_vs_pgbench": round(single_tps / pgbench_tps, 3),
        "batched_vs_pgbench": round(batched_tps / pgbench_tps, 3),
        "batch_size": args.batch,
        "history_rows_large": args.history,
        "balance_read_us_1k": round(read_small, 1),
        "balance_read_us_large": round(read_large, 1),
        "read_large_vs_1k": round(read_large / read_small, 2),
        "ledger_check_problems": len(problems),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
