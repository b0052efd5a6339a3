import pytest
from django.core.management import CommandError, call_command

from linli.cli import main
from linli.org.models import Person
from tests.org.test_roster import good_rows, xlsx

pytestmark = pytest.mark.django_db


def test_import_roster_command(world, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(good_rows(4)))
    call_command("import_roster", str(good), "--dry-run")
    assert Person.objects.filter(name__startswith="住户").count() == 0
    call_command("import_roster", str(good), "--user", "community_a")
    assert Person.objects.filter(name__startswith="住户").count() == 4
    assert "Imported 4 residents" in capsys.readouterr().out


def test_import_roster_command_refuses_bad_file(world, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    rows = good_rows(2)
    rows[1][7] = "110105194912310021"  # wrong check character
    bad.write_bytes(xlsx(rows))
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_roster", str(bad), "--user", "community_a")
    assert "line      3 身份证号" in capsys.readouterr().out
    assert Person.objects.filter(name__startswith="住户").count() == 0
    with pytest.raises(CommandError, match="no such user"):
        call_command("import_roster", str(bad), "--user", "ghost")


def test_linli_command_maps_hyphens_to_management_commands(world, tmp_path, capsys):
    good = tmp_path / "g.xlsx"
    good.write_bytes(xlsx(good_rows(1)))
    assert main(["linli", "import-roster", str(good), "--dry-run"]) == 0
    assert "1 rows checked: no errors" in capsys.readouterr().out
    assert main(["linli", "--help"]) == 0
    assert "import-roster" in capsys.readouterr().out
