"""Measuring a Textual app from a key press to the end of the refresh that follows it.

A key event is posted the way Pilot does (but without Pilot's idle waits). Every completed
frame is timestamped through ``App.post_display_hook``. After the press the app is left alone
until it is quiet: no message waiting anywhere and no new frame for ``QUIET`` seconds. Then:

- latency: the end of the last frame after the press, minus the press (perf_counter);
- busy: that latency minus the time the event loop spent blocked in ``select`` (idle), i.e.
  the CPU time the app spent handling the key and rendering: an upper bound on handler time.

Timers other than the screen's own update timer (clock ticks, cursor blink) are paused while a
key is measured, so their frames are not mistaken for the key's.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key

QUIET = 0.04  # > 2 frames at 60 fps without a new frame or message: the key is done
POLL = 0.003
TIMEOUT = 10.0


@dataclass
class Probe:
    """Frame timestamps and idle time of one running app."""

    app: App[Any]
    frames: list[tuple[float, float]] = field(default_factory=list)  # (end, idle so far)
    idle: float = 0.0
    no_frame: int = 0  # presses after which nothing was redrawn
    # Apps running beside this one in the same event loop (the stock-Textual floors run next
    # to facilitate, see bench_keys.Floors): their timers are paused too while a key here is
    # measured, so nothing of theirs runs inside this key's time.
    others: list[Probe] = field(default_factory=list)
    _installed: bool = False

    def install(self) -> None:
        if self._installed:
            return
        self._installed = True
        self.app.post_display_hook = lambda: self.frames.append(  # type: ignore[method-assign]
            (time.perf_counter(), self.idle)
        )
        selector = asyncio.get_running_loop()._selector  # type: ignore[attr-defined]
        select = selector.select

        def timed_select(timeout: float | None = None) -> Any:
            start = time.perf_counter()
            try:
                return select(timeout)
            finally:
                self.idle += time.perf_counter() - start

        selector.select = timed_select

    def _nodes(self) -> list[Any]:
        app = self.app
        return [app, *app.screen_stack, *app.screen.walk_children(with_self=False)]

    def _timers(self) -> list[Any]:
        timers = []
        for probe in (self, *self.others):
            if probe.app.is_running:
                for node in probe._nodes():
                    timers += [t for t in getattr(node, "_timers", ()) if t.name != "screen_update"]
        return timers

    def pause_timers(self) -> None:
        for timer in self._timers():
            timer.pause()

    def resume_timers(self) -> None:
        for timer in self._timers():
            timer.resume()

    def _busy(self) -> bool:
        for node in self._nodes():
            queue = getattr(node, "_message_queue", None)
            if queue is not None and not queue.empty():
                return True
        return False

    async def settle(self) -> None:
        """Wait until nothing happens for QUIET seconds (no frame, no queued message)."""
        seen = len(self.frames)
        quiet_since = time.perf_counter()
        deadline = quiet_since + TIMEOUT
        while True:
            await asyncio.sleep(POLL)
            now = time.perf_counter()
            if len(self.frames) != seen or self._busy():
                seen = len(self.frames)
                quiet_since = now
            elif now - quiet_since >= QUIET:
                return
            if now > deadline:
                raise TimeoutError("the app did not settle")

    async def press(self, key: str) -> tuple[float, float]:
        """Press ``key``; return (latency to the end of the last frame, busy time) in seconds."""
        self.install()
        await self.settle()
        self.pause_timers()
        try:
            event = _key_event(key)
            event.set_sender(self.app)
            frames_before = len(self.frames)
            idle_before = self.idle
            start = time.perf_counter()
            self.app.post_message(event)
            await self.settle()
            new = self.frames[frames_before:]
            if not new:  # nothing was redrawn: counted, and reported as 0
                self.no_frame += 1
                return 0.0, 0.0
            end, idle_at_end = new[-1]
            latency = end - start
            return latency, max(0.0, latency - (idle_at_end - idle_before))
        finally:
            self.resume_timers()


def _key_event(key: str) -> events.Key:
    """The Key event Pilot would send for ``key``."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)
