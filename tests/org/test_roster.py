import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from linli.core.models import AuditEntry
from linli.org import roster
from linli.org.models import Household, ImportJob, Person
from tests.factories import id_number

pytestmark = pytest.mark.django_db

HEADER = [
    "小区",
    "楼栋",
    "单元",
    "房号",
    "面积(㎡)",
    "产权证号",
    "姓名",
    "身份证号",
    "手机号",
    "与户关系",
    "标签",
]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_rows(n=3):
    return [
        [
            "幸福里",
            "1栋",
            "2单元",
            f"{i}01",
            "76.5",
            "",
            f"住户{i}",
            id_number(),
            f"1370000{i:04d}",
            "业主" if i == 1 else "家庭成员",
            "志愿者" if i == 2 else "",
        ]
        for i in range(1, n + 1)
    ]


def test_good_file_imports_all_rows(world):
    actor = world.actor("community_a")
    report, counts = roster.commit(actor, "ok.xlsx", xlsx(good_rows(3)))
    assert report.errors == 0
    assert counts == {"households": 3, "people": 3}
    assert Person.objects.filter(name__startswith="住户").count() == 3
    assert Person.objects.get(name="住户2").tags.get().code == "volunteer"
    assert AuditEntry.objects.filter(action="org.roster_import").exists()


def test_bad_file_reports_every_row_and_writes_nothing(world):
    actor = world.actor("community_a")
    dup = id_number()
    bad_checksum = dup[:-1] + ("0" if dup[-1] != "0" else "1")
    registered = roster.pii.decrypt(world.people["A1"].id_cipher)
    rows = [
        ["幸福里", "1栋", "", "301", "80", "", "甲", dup, "", "业主", ""],
        ["幸福里", "1栋", "", "302", "八十", "", "乙", dup, "", "业主", ""],
        ["幸福里", "9栋", "", "303", "80", "", "丙", id_number(), "", "业主", ""],
        ["幸福里", "1栋", "", "304", "80", "", "丁", bad_checksum, "", "业主", ""],
        ["幸福里", "1栋", "", "305", "80", "", "戊", registered, "", "业主", ""],
        ["和平里", "1栋", "", "306", "80", "", "己", id_number(), "", "业主", ""],
        ["幸福里", "1栋", "", "３０７", "80", "", "庚", id_number(), "", "亲戚", "外星人"],
    ]
    before = (Person.objects.count(), Household.objects.count())
    report = roster.validate(actor, "bad.xlsx", xlsx(rows))
    by_line = {}
    for p in report.problems:
        by_line.setdefault(p["line"], []).append((p["column"], p["level"]))
    assert ("面积(㎡)", "error") in by_line[3]
    assert ("身份证号", "error") in by_line[3]  # duplicate of line 2
    assert ("楼栋", "error") in by_line[4]
    assert ("身份证号", "error") in by_line[5]  # checksum
    assert ("身份证号", "error") in by_line[6]  # already registered
    assert ("小区", "error") in by_line[7]  # estate of another community
    assert ("房号", "warning") in by_line[8]  # full-width digits normalised
    assert ("与户关系", "error") in by_line[8]
    assert ("标签", "error") in by_line[8]
    assert 2 not in by_line
    report, counts = roster.commit(actor, "bad.xlsx", xlsx(rows))
    assert counts is None
    assert report.errors == 8
    assert (Person.objects.count(), Household.objects.count()) == before


def test_csv_in_gb18030_and_missing_columns(world):
    actor = world.actor("community_a")
    text = ",".join(HEADER) + "\n" + ",".join(str(v) for v in good_rows(1)[0]) + "\n"
    report = roster.validate(actor, "r.csv", text.encode("gb18030"))
    assert report.ok
    with pytest.raises(roster.ValidationError):
        roster.validate(actor, "r.xlsx", xlsx([["x"]], header=["姓名"]))


def test_upload_preview_and_commit_through_pages(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["community_a"])
    upload = SimpleUploadedFile("r.xlsx", xlsx(good_rows(2)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:org:roster"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.url == reverse("console:org:roster-job", args=[job.pk])
    assert job.status == ImportJob.Status.READY
    assert Person.objects.filter(name__startswith="住户").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("console:org:roster-commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.created_people == 2
    # The job belongs to its uploader's scope: another community's staff cannot open it.
    other = client_for(world.users["community_b"])
    assert other.get(reverse("console:org:roster-job", args=[job.pk])).status_code == 404


def test_template_downloads_with_header(world, client_for):
    response = client_for(world.users["community_a"]).get(reverse("console:org:roster-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER


def test_grid_worker_cannot_import(world, client_for):
    client = client_for(world.users["grid_a1"])
    assert client.get(reverse("console:org:roster")).status_code == 403
