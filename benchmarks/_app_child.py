"""Child process for the start-up and memory benchmarks (run by the parent, not by hand).

    python benchmarks/_app_child.py startup minimal
    python benchmarks/_app_child.py startup app WORKSPACE
    python benchmarks/_app_child.py memory minimal
    python benchmarks/_app_child.py memory app WORKSPACE

startup: print time.monotonic() at the end of the first rendered frame of the home screen (the
minimal app's only screen), headless 80x24, then leave at once. The parent took
time.monotonic() just before starting this process (CLOCK_MONOTONIC is system-wide).

memory: run the app headless with a meeting started and running (the minimal app: just running)
for the same time, then print the peak RSS (VmHWM) and exit.
"""

from __future__ import annotations

import os
import sys
import time


def _minimal_app():  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello from a minimal Textual app.")
            yield Footer()

    return Minimal()


def _facilitate_app(root: str):  # type: ignore[no-untyped-def]
    # The same path as `facilitate --data ROOT` (launcher.main -> cli.main -> cmd_app): garbage
    # collection paused by the launcher until the app's first frame, the CLI module and its
    # parser, umask, opening the workspace with the start-up backup deferred (the app takes it
    # right after its first frame), then the app.
    import gc

    gc.disable()
    from facilitate.cli import parse_args
    from facilitate.cli_common import open_workspace

    os.umask(0o077)
    args = parse_args(["--data", root])
    ws = open_workspace(args)
    ws.defer_backup()
    from facilitate.ui.app import FacilitateApp

    return FacilitateApp(ws)


def startup(kind: str, root: str | None) -> None:
    if kind == "minimal":
        app = _minimal_app()

        def ready() -> bool:
            return True
    else:
        assert root is not None
        app = _facilitate_app(root)
        from facilitate.ui.screens.home import HomeScreen

        def ready() -> bool:
            return isinstance(app.screen, HomeScreen)

    def hook() -> None:
        if ready():
            sys.stdout.write(f"{time.monotonic()!r}\n")
            sys.stdout.flush()
            os._exit(0)

    app.post_display_hook = hook  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))
    os._exit(3)  # never rendered the home screen


def memory(kind: str, root: str | None) -> None:
    import asyncio

    async def drive() -> None:
        if kind == "minimal":
            app = _minimal_app()
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause(1.0)
            return
        assert root is not None
        app = _facilitate_app(root)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("s")  # start the planned meeting
            await pilot.pause()
            if type(app.screen).__name__ == "StartElsewhenDialog":  # (not its day: move it)
                await pilot.press("y")
                await pilot.pause()
            await pilot.press("y")  # acknowledge confidentiality
            await pilot.pause()
            for _ in range(3):
                await pilot.press("n")
                await pilot.pause()
                if type(app.screen).__name__ == "ConfidentialityDialog":
                    await pilot.press("y")
            await pilot.press("i")  # roll call
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause(1.0)  # the item timer ticks
            assert type(app.screen).__name__ == "MeetingScreen", app.screen

    asyncio.run(drive())
    # The peak resident set size of this process. (Not wait4's ru_maxrss: after fork and
    # before exec the child briefly is a copy of the parent, whose size then counts.)
    with open("/proc/self/status", encoding="ascii") as status:
        lines = status.readlines()
    for line in lines:
        if line.startswith("VmHWM:"):
            sys.stdout.write(f"ok {int(line.split()[1]) * 1024}\n")
    sys.stdout.flush()


def main() -> None:
    mode, kind = sys.argv[1], sys.argv[2]
    root = sys.argv[3] if len(sys.argv) > 3 else None
    {"startup": startup, "memory": memory}[mode](kind, root)


if __name__ == "__main__":
    main()
