"""The `facilitate` command line. argparse calling services; the TUI is imported lazily."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    UsageError,
    data_dir,
    error,
    exit_code_for,
    open_workspace,
)
from .domain.common import FacilitateError
from .startup_gc import resume_collection

DESCRIPTION = """\
facilitate runs multi-agency task-force meetings from the terminal: roll call, a timed
agenda, confidentiality reminders, decisions, actions, training and minutes.

With no command it opens the app on your workspace (creating it on first run).
The workspace is --data DIR, else $FACILITATE_DATA, else your user data folder."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        error(f"{message} (see '{self.prog} --help')")
        sys.exit(EXIT_USAGE)


def _top_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="facilitate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"facilitate {__version__}")
    parser.add_argument("--data", metavar="DIR", help="workspace folder (default: see above)")
    parser.set_defaults(command=None)
    return parser


def _opens_the_app(tokens: Sequence[str]) -> bool:
    """Only ``--data DIR`` (or nothing): the default command, the app. Its parser needs none of
    the subcommands (building them imports their modules: ~5-9 ms of every start)."""
    rest = list(tokens)
    while rest:
        token = rest.pop(0)
        if token == "--data" and rest and not rest[0].startswith("-"):
            rest.pop(0)
        elif not (token.startswith("--data=") and len(token) > len("--data=")):
            return False
    return True


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line as `facilitate` reads it (anything but the app gets the full parser,
    so help, errors and every subcommand behave the same)."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    parser = _top_parser() if _opens_the_app(tokens) else build_parser()
    return parser.parse_args(tokens)


def build_parser() -> argparse.ArgumentParser:
    parser = _top_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="open the app on a fresh copy of the sample task force")
    p.add_argument(
        "--keep", action="store_true", help="print where the demo workspace is and keep it"
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", help="create a workspace")
    p.add_argument("--sample", action="store_true", help="fill it with the sample task force")
    p.add_argument("--name", help="the collaborative's name (without --sample)")
    p.add_argument("--timezone", default=None, help="IANA timezone, e.g. America/Chicago")
    p.add_argument(
        "--shared-group", metavar="GROUP", help="share with a Unix group (setgid 2770, files 0660)"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", help="verify every file: parse, schema, permissions, references")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("meetings", help="list meetings (and 'meetings new')")
    p.set_defaults(func=cmd_meetings)
    msub = p.add_subparsers(dest="meetings_command", metavar="SUBCOMMAND", parser_class=_Parser)
    lp = msub.add_parser("list", help="list meetings: id, date, title, status")
    lp.set_defaults(func=cmd_meetings)

    from .agenda import cli as agenda_cli
    from .collab import cli as collab_cli
    from .minutes import cli as minutes_cli
    from .tracker import cli as tracker_cli

    agenda_cli.register(sub)
    agenda_cli.register_meetings(msub)
    minutes_cli.register(sub)
    tracker_cli.register(sub)
    collab_cli.register(sub)

    p = sub.add_parser("app", help="open the app (the default when no command is given)")
    p.set_defaults(func=cmd_app)
    return parser


# --- commands --------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    root = data_dir(args)
    if not (root / "collaborative.json").exists():
        if not sys.stdin.isatty():
            raise UsageError(
                f"No workspace at {root}. Create one with 'facilitate init' "
                "(or 'facilitate demo' to try the sample task force)."
            )
        answer = input(f"No workspace at {root}. Create it with the sample task force? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing created. Use 'facilitate init' or 'facilitate demo'.")
            return EXIT_OK
        _init_workspace(root, sample=True, name=None, timezone=None, shared_group=None)
    ws = open_workspace(args)
    ws.defer_backup()  # taken right after the app's first frame, and before any save
    return _run_tui(ws)


def _run_tui(ws: object) -> int:
    from .ui.app import run_app

    return run_app(ws)  # type: ignore[arg-type]


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    import pendulum

    from .services.sample import load_sample
    from .storage.workspace import Workspace

    base = Path(tempfile.mkdtemp(prefix="facilitate-demo-"))
    root = base / "workspace"
    ws = Workspace.create(root)
    now = pendulum.now("UTC")
    start = now.subtract(seconds=now.second, microseconds=now.microsecond)
    load_sample(ws, upcoming_start=start)
    print(f"Demo workspace: {root}")
    ws = Workspace.open(root)
    try:
        return _run_tui(ws)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"Kept the demo workspace at {root} (use --data {root})")


def _init_workspace(
    root: Path, *, sample: bool, name: str | None, timezone: str | None, shared_group: str | None
) -> None:
    from .domain.roster import Profile
    from .services.sample import load_sample
    from .storage.workspace import Workspace

    ws = Workspace.create(root, shared_group=shared_group)
    if sample:
        load_sample(ws)
    else:
        with ws.transaction() as tx:
            tx.add(Profile(name=name or "My task force", timezone=timezone or "UTC"))


def cmd_init(args: argparse.Namespace) -> int:
    root = data_dir(args)
    if args.timezone:
        from .domain.common import require_timezone

        require_timezone(args.timezone)
    _init_workspace(
        root,
        sample=args.sample,
        name=args.name,
        timezone=args.timezone,
        shared_group=args.shared_group,
    )
    print(f"Created workspace at {root}" + (" with the sample task force" if args.sample else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .services.check import check_workspace

    problems = check_workspace(data_dir(args))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_PROBLEM
    print("Workspace OK.")
    return EXIT_OK


def cmd_meetings(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    tx = ws.snapshot()
    meetings = tx.meetings()
    if not meetings:
        print("No meetings yet. Create one with 'facilitate meetings new'.")
        return EXIT_OK
    for m in meetings:
        local = m.local(m.start)
        print(
            f"{m.id}\t{local.format('YYYY-MM-DD HH:mm')} {m.timezone}\t{m.title}\t{m.status.value}"
        )
    return EXIT_OK


# --- entry point -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    args = parse_args(argv)
    func = getattr(args, "func", None) or cmd_app
    if func not in (cmd_app, cmd_demo):
        resume_collection()  # paused by the launcher; the app resumes it after its first frame
    try:
        return int(func(args) or 0)
    except FacilitateError as exc:
        error(str(exc))
        return exit_code_for(exc)
    except KeyboardInterrupt:
        error("interrupted.")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
