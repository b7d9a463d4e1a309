"""Full garbage collections at moments the app chooses, not in the middle of a countdown.

With ten years of history loaded, one of Python's automatic full (generation 2) collections
took 60-110 ms on a 2-core server: long enough to show a stale second on the meeting timer, and
the slowest key presses of a session. So:

- the objects alive once the app has started (modules, the screen stack, the loaded workspace),
  and again once a meeting has started, are frozen (``gc.freeze``): later full collections do
  not scan them again;
- automatic full collections are made rare (the third threshold), and the app runs them itself
  every ``EVERY`` seconds, and soon after a screen or dialog changes (a closed one's widgets
  refer to each other, so only a full collection frees them): a timed screen (the meeting, the
  follow view) right after it drew a new second, so the pause lands in the second the display
  does not change; other screens at the app's next check once nobody has pressed a key for a
  couple of seconds (``GC_IDLE`` in app.py). With the start-up objects frozen, such a
  collection takes ~8 ms on a running meeting of the 10-year workspace, not ~100 ms; between
  meetings the action tracker's and the history's data are not frozen (they come and go), so
  there it is the ~100-170 ms that an automatic one took in the middle of a key press.

The app starts pacing right after its first frame: full collections come off Python's
automatic schedule at once, and the first paced one (on home, once nobody has typed for a
couple of seconds) freezes what start-up built. A timed screen freezes again right after its
first frame (``GcPacer.refreeze``), with what it holds.

Generations 0 and 1 stay automatic (they take about a millisecond), so garbage in cycles is
still collected within a minute or so; nothing is left to grow.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

EVERY = 60.0  # seconds between full collections
RARE = 1_000  # generation-1 collections before Python would run a full one by itself


class GcPacer:
    def __init__(self, every: float = EVERY, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self.last = clock()
        self.collections = 0
        self.requested = False
        self.freeze_due = False  # the next collection freezes what is alive (see refreeze)
        self._saved: tuple[int, int, int] | None = None

    def install(self) -> None:
        """Take full collections off the automatic schedule. The first paced collection
        (due at once) then freezes what start-up built."""
        self._saved = gc.get_threshold()
        first, second, _third = self._saved
        gc.set_threshold(first, second, RARE)
        self.refreeze()

    def uninstall(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            gc.unfreeze()
            self._saved = None

    def request(self) -> None:
        """Collect at the next good moment, not a minute from now: a screen or dialog was just
        closed, and its widgets (which refer to each other, so only a collection frees them)
        are garbage."""
        self.requested = True

    def refreeze(self) -> None:
        """At the next good moment, collect everything (frozen objects too) and freeze what
        is left: a timed screen opened, and what it holds for the rest of the meeting is
        then not scanned by every later collection (~8 ms instead of ~100 ms at ten years).
        What an earlier freeze kept and is garbage by now (a meeting screen closed since)
        is freed then too."""
        self.freeze_due = True
        self.requested = True

    @property
    def due(self) -> bool:
        return self.requested or self.clock() - self.last >= self.every

    def collect(self) -> None:
        if self.freeze_due:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.freeze_due = False
        else:
            gc.collect()
        self.collections += 1
        self.requested = False
        self.last = self.clock()
