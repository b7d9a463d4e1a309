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
    data_dir,
    error,
    exit_code_for,
    open_workspace,
    require_terminal,
)
from .console import echo, echo_document, safe_output
from .crash import EXIT_CRASH, report_crash
from .domain.common import FacilitateError
from .startup_gc import resume_collection
from .storage.atomic import WorkspaceLock

DESCRIPTION = """\
facilitate runs multi-agency task-force meetings from the terminal: roll call, a timed
agenda, confidentiality reminders, decisions, actions, training and minutes.

With no command it opens the app on your workspace (creating it on first run).
The workspace is --data DIR, else $FACILITATE_DATA, else your user data folder."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line: the usage summary (2-5 lines) is what --help is for.
        error(f"{' '.join(message.split())} (see '{self.prog} --help')")
        sys.exit(EXIT_USAGE)


def _top_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="facilitate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"facilitate {__version__}")
    data = parser.add_argument(
        "--data", metavar="DIR", help="workspace folder (default: see above)"
    )
    # shtab.DIRECTORY, written out so that building the parser does not import shtab
    data.complete = {  # type: ignore[attr-defined]
        "bash": "_shtab_compgen_dirs",
        "zsh": "_files -/",
        "tcsh": "d",
        "fish": "(__fish_complete_directories)",
    }
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


def _data_first(tokens: list[str]) -> list[str]:
    """``--data DIR`` is accepted anywhere (``facilitate init --data DIR`` as well as
    ``facilitate --data DIR init``): it is moved to the front, where the top parser reads it.
    Nothing after a ``--`` is touched."""
    front: list[str] = []
    rest: list[str] = []
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if token == "--":
            rest += tokens[n:]
            break
        if token == "--data" and n + 1 < len(tokens):
            front += tokens[n : n + 2]
            n += 2
            continue
        if token.startswith("--data="):
            front.append(token)
        else:
            rest.append(token)
        n += 1
    return front + rest


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line as `facilitate` reads it (anything but the app gets the full parser,
    so help, errors and every subcommand behave the same)."""
    tokens = _data_first(sys.argv[1:] if argv is None else list(argv))
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
    p.add_argument(
        "--accept-tamper",
        metavar="REASON",
        help="record, signed with your user name, that the audit problems check finds are "
        "known (e.g. a restored backup), so that saving can continue",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("meetings", help="list meetings (and 'meetings new')")
    p.set_defaults(func=cmd_meetings)
    msub = p.add_subparsers(dest="meetings_command", metavar="SUBCOMMAND", parser_class=_Parser)
    lp = msub.add_parser("list", help="list meetings: id, date, title, status")
    lp.set_defaults(func=cmd_meetings)

    from . import backups_cli
    from .agenda import cli as agenda_cli
    from .collab import cli as collab_cli
    from .minutes import cli as minutes_cli
    from .report import cli as report_cli
    from .tracker import cli as tracker_cli

    agenda_cli.register(sub)
    agenda_cli.register_meetings(msub)
    minutes_cli.register(sub)
    tracker_cli.register(sub)
    report_cli.register(sub)
    collab_cli.register(sub)
    backups_cli.register(sub)
    from . import speakers_cli

    speakers_cli.register(sub)

    p = sub.add_parser("app", help="open the app (the default when no command is given)")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, fish, tcsh)",
        description=COMPLETION_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=COMPLETION_SHELLS, help="the shell to complete for")
    p.set_defaults(func=cmd_completion)
    return parser


COMPLETION_SHELLS = ("bash", "zsh", "fish", "tcsh")
COMPLETION_HELP = """\
Print a completion script for your shell, generated from this command line. Install it once:

  bash: facilitate completion bash > ~/.local/share/bash-completion/completions/facilitate
  zsh:  facilitate completion zsh > ~/.zfunc/_facilitate   (with fpath+=~/.zfunc in ~/.zshrc)
  fish: facilitate completion fish > ~/.config/fish/completions/facilitate.fish
  tcsh: facilitate completion tcsh > ~/.facilitate.tcsh   (and 'source' it from ~/.tcshrc)"""


# --- commands --------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    root = data_dir(args)
    require_terminal()
    if not (root / "collaborative.json").exists():
        from .storage.backups import refuse_orphaned_meetings

        refuse_orphaned_meetings(root)  # meetings but no roster: damaged, never re-created
        question = f"No workspace at {root}. Create it with the sample task force? [y/N] "
        answer = input(safe_output(question))
        if answer.strip().lower() not in ("y", "yes"):
            echo("Nothing created. Use 'facilitate init' or 'facilitate demo'.")
            return EXIT_OK
        _init_workspace(root, sample=True, name=None, timezone=None, shared_group=None)
    ws = open_workspace(args)
    ws.defer_backup()  # taken right after the app's first frame, and before any save
    return _run_tui(ws)


def _run_tui(ws: object, *, crash_root: Path | None = None) -> int:
    from .ui.app import run_app

    return run_app(ws, crash_root=crash_root)  # type: ignore[arg-type]


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    import pendulum

    from .services.sample import load_sample
    from .storage.workspace import Workspace

    require_terminal()
    base = Path(tempfile.mkdtemp(prefix="facilitate-demo-"))
    root = base / "workspace"
    ws = Workspace.create(root)
    now = pendulum.now("UTC")
    start = now.subtract(seconds=now.second, microseconds=now.microsecond)
    load_sample(ws, upcoming_start=start)
    echo(f"Demo workspace: {root}")
    ws = Workspace.open(root)
    try:
        # A crash report outlives the demo: in the user's state folder unless it is kept.
        return _run_tui(ws, crash_root=root if args.keep else None)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(base, ignore_errors=True)
        else:
            echo(f"Kept the demo workspace at {root} (use --data {root})")


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
    echo(f"Created workspace at {root}" + (" with the sample task force" if args.sample else ""))
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    import shtab

    echo_document(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .services.check import check_workspace

    if args.accept_tamper is not None:
        from .services.check_audit import accept_tamper

        echo(accept_tamper(data_dir(args), args.accept_tamper))
    notes: list[str] = []
    problems = check_workspace(data_dir(args), notes)
    for note in notes:
        echo(f"Note: {note}")
    for problem in problems:
        echo(problem)
    if problems:
        echo(f"{len(problems)} problem(s) found.", err=True)
        return EXIT_PROBLEM
    echo("Workspace OK.")
    return EXIT_OK


def cmd_meetings(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    tx = ws.snapshot()
    meetings = tx.meetings()
    if not meetings:
        echo("No meetings yet. Create one with 'facilitate meetings new'.")
        return EXIT_OK
    for m in meetings:
        local = m.local(m.start)
        echo(
            f"{m.id}\t{local.format('YYYY-MM-DD HH:mm')} {m.timezone}\t{m.title}\t{m.status.value}"
        )
    return EXIT_OK


# --- entry point -------------------------------------------------------------------------


def _tell_lock_wait(holder: str) -> None:
    from .storage.atomic import lock_timeout

    error(
        f"waiting for {holder}, who holds the workspace lock (giving up after "
        f"{lock_timeout():.0f} s)..."
    )


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    WorkspaceLock.on_wait = _tell_lock_wait
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
    except Exception as exc:  # a bug: a private crash report, never a traceback
        error(report_crash(exc, _crash_root(args, func)))
        return EXIT_CRASH


def _crash_root(args: argparse.Namespace, func: object) -> Path | None:
    """The workspace whose logs folder takes a crash report: the one named, if it exists (a
    demo's is deleted when it ends: None, the user's state folder)."""
    if func is cmd_demo:
        return None
    try:
        root = data_dir(args)
        return root if (root / "collaborative.json").is_file() else None
    except Exception:
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
