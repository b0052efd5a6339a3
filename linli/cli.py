"""The ``linli`` console command.

``linli demo``, ``linli serve``, ``linli import-roster FILE``, ``linli createadmin`` and every
other Django management command (``linli migrate``, ``linli ledger-check``…): hyphens in the
sub-command become underscores, so each app adds sub-commands as ordinary management commands.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        print("\nCommands: demo, serve, import-roster, createadmin, and `linli help <command>`.")
        if len(argv) >= 3:
            execute_from_command_line(["linli", "help", argv[2].replace("-", "_")])
        return 0
    command = argv[1].replace("-", "_")
    execute_from_command_line(["linli", command, *argv[2:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
