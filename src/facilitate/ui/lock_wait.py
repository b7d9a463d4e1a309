"""Saves that find the workspace locked by another process wait without freezing the app.

The app's saves run on Textual's event loop, so its workspace lock never blocks
(``WorkspaceLock.blocking = False``): a save that finds the lock taken raises LockBusyError at
once. A save made through ``SaveQueue.save`` is then queued: the app says who it waits for
("Waiting for alice (pid 4242, facilitate agenda submit)..."), stays responsive, and retries
every RETRY_EVERY seconds from a timer, in the order the saves were made, until the lock is
free or the lock timeout has passed (then it says what was not saved). Saves made elsewhere
report the LockBusyError's own message: nothing was changed, try again in a moment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App

from ..domain.common import FacilitateError, counted
from ..storage.atomic import LockBusyError, LockTimeoutError, lock_timeout

RETRY_EVERY = 0.25  # seconds


@dataclass
class _Pending:
    attempt: Callable[[], Any]
    done: Callable[[Any], object] | None


class SaveQueue:
    def __init__(self, app: App[Any], report: Callable[[Exception], None]) -> None:
        self.app = app
        self.report = report
        self.pending: list[_Pending] = []
        self.since = 0.0  # time.monotonic() of the first save that waits
        self.holder = ""

    @property
    def waiting(self) -> bool:
        return bool(self.pending)

    def save(self, attempt: Callable[[], Any], done: Callable[[Any], object] | None = None) -> Any:
        """Run ``attempt`` (a save) and then ``done`` with its result; its result, or None if
        it failed (reported) or waits for the lock (queued behind the saves already waiting,
        so they land in order)."""
        if self.pending:
            self.pending.append(_Pending(attempt, done))
            return None
        try:
            result = attempt()
        except LockBusyError as exc:
            self.pending.append(_Pending(attempt, done))
            self.since = time.monotonic()
            self._tell(exc.holder)
            self.app.set_timer(RETRY_EVERY, self._retry)
            return None
        except FacilitateError as exc:
            self.report(exc)
            return None
        if done is not None:
            done(result)
        return result

    def _tell(self, holder: str) -> None:
        self.holder = holder
        self.app.notify(
            f"Waiting for {holder} to finish saving... Your change is saved as soon as the "
            "workspace is free.",
            title="Workspace busy",
            severity="warning",
            timeout=4,
            markup=False,
        )

    def _retry(self) -> None:
        while self.pending:
            first = self.pending[0]
            try:
                result = first.attempt()
            except LockBusyError as exc:
                waited = time.monotonic() - self.since
                if waited >= lock_timeout():
                    self._give_up(exc, waited)
                    return
                if exc.holder != self.holder:
                    self._tell(exc.holder)
                self.app.set_timer(RETRY_EVERY, self._retry)
                return
            except FacilitateError as exc:
                self.pending.pop(0)
                self.report(exc)
                continue
            self.pending.pop(0)
            if first.done is not None and _still_shown(first.done):
                first.done(result)
        self.app.notify("Saved: the workspace is free again.", timeout=3)

    def _give_up(self, exc: LockBusyError, waited: float) -> None:
        lost = len(self.pending)
        self.pending.clear()
        timeout = LockTimeoutError(exc.path, exc.holder, waited)
        self.report(FacilitateError(f"{counted(lost, 'change')} not saved. {timeout}"))


def _still_shown(done: Callable[[Any], object]) -> bool:
    """A screen's callback runs only while that screen is still part of the app."""
    owner = getattr(getattr(done, "func", done), "__self__", None)  # (through a partial)
    return owner is None or bool(getattr(owner, "is_attached", True))
