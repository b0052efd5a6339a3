"""Roster import throughput: 100,000 generated rows, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/roster_import.py [--rows 100000] [--pg postgres://postgres@127.0.0.1:5432/linli_bench_roster]

Each database run happens in a fresh subprocess on a fresh database (the SQLite file in a temporary
directory; the PostgreSQL database is dropped and re-created). The figure is rows/s for the whole
commit: reading the .xlsx, validating every row (ID checksums, duplicates within the file and
against the register), encrypting ID numbers and writing households, residents, ties and tags in
one transaction. The last line is one JSON object.
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_BIRTH = datetime.date(1940, 1, 1)


def generate_xlsx(rows, buildings):
    from openpyxl import Workbook

    from linli.core.idcard import check_char
    from linli.org.roster import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([label for _k, label in COLUMNS])
    for i in range(rows):
        # Two to three residents per household on average, as in a real register.
        household = i * 2 // 5
        b = household % buildings
        room = household // buildings
        # Distinct (birth date, sequence) pairs give 100,000 distinct valid numbers.
        birth = BASE_BIRTH + datetime.timedelta(days=i % 20000)
        first17 = f"320102{birth:%Y%m%d}{i // 20000:03d}"
        number = first17 + check_char(first17)
        ws.append(
            [
                "基准小区",
                f"{b + 1}栋",
                f"{room % 4 + 1}单元",
                f"{room // 4 + 1:04d}",
                "88.5",
                "",
                f"居民{i}",
                number,
                f"139{i:08d}",
                "业主" if i % 3 == 0 else "家庭成员",
                "志愿者" if i % 10 == 0 else "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_one(rows):
    """Inside the subprocess: migrate, build the estate, import, report rows/s."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from linli.core.scoping import SYSTEM
    from linli.org import roster, services
    from linli.org.choices import UnitKind
    from linli.org.models import Person

    call_command("migrate", verbosity=0)
    city = services.unit_create(
        actor=SYSTEM, parent=None, kind=UnitKind.CITY, code="b-city", name="基准市"
    )
    district = services.unit_create(
        actor=SYSTEM, parent=city, kind=UnitKind.DISTRICT, code="b-dist", name="基准区"
    )
    street = services.unit_create(
        actor=SYSTEM, parent=district, kind=UnitKind.STREET, code="b-street", name="基准街道"
    )
    community = services.unit_create(
        actor=SYSTEM, parent=street, kind=UnitKind.COMMUNITY, code="b-comm", name="基准社区"
    )
    grid = services.unit_create(
        actor=SYSTEM, parent=community, kind=UnitKind.GRID, code="b-grid", name="基准网格"
    )
    estate = services.estate_create(
        actor=SYSTEM, community=community, code="b-estate", name="基准小区"
    )
    buildings = 50
    for b in range(buildings):
        services.building_create(actor=SYSTEM, estate=estate, grid=grid, name=f"{b + 1}栋")
    data = generate_xlsx(rows, buildings)
    started = time.perf_counter()
    report, counts = roster.commit(SYSTEM, "bench.xlsx", data)
    elapsed = time.perf_counter() - started
    assert counts is not None, report.problems[:5]
    assert Person.objects.count() == rows
    return {
        "vendor": connection.vendor,
        "rows": rows,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(rows / elapsed),
        "households": counts["households"],
    }


def fresh_pg(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def child(env_extra, rows):
    env = {**os.environ, **env_extra, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--rows", str(rows)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/linli_bench_roster")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.rows)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = child(
            {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "LINLI_VAR_DIR": tmp}, args.rows
        )
        print(
            f"SQLite:     {sqlite['rows']} rows in {sqlite['seconds']} s = "
            f"{sqlite['rows_per_s']} rows/s"
        )
        results["sqlite_rows_per_s"] = sqlite["rows_per_s"]
        fresh_pg(args.pg)
        pg = child({"DATABASE_URL": args.pg, "LINLI_VAR_DIR": tmp}, args.rows)
        print(f"PostgreSQL: {pg['rows']} rows in {pg['seconds']} s = {pg['rows_per_s']} rows/s")
        results["postgres_rows_per_s"] = pg["rows_per_s"]
    results["rows"] = args.rows
    results["target_postgres_rows_per_s"] = 5000
    results["postgres_vs_target"] = round(results["postgres_rows_per_s"] / 5000, 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
