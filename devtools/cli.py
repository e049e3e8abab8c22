"""`cca`: the project's one command line (`make` targets call it; `python -m devtools` works too).

Every subcommand lives in `devtools/commands/` and registers itself here. Bad input and an
unreachable database end in one `error:` line on stderr and exit status 2, before anything
is written; a command that ran but failed (a day that did not load) exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Modules of devtools.commands, each with `register(subparsers)`.
COMMAND_MODULES = (
    "run",
    "db",
    "generate",
    "summaries",
    "airflow",
    "bench",
    "reliability",
    "migrate",
    "compose_env",
    "realism",
    "export",
    "twins",
)


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, like every other error here."""

    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="cca", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"devtools.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"devtools.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from devtools.database import DatabaseUnavailable

    try:
        return int(args.handler(args) or 0)
    except (ValueError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
