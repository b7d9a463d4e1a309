"""Full garbage collections at moments the app chooses, not in the middle of a countdown.

With ten years of history loaded, one of Python's automatic full (generation 2) collections
took 60-110 ms on a 2-core server: long enough to show a stale second on the meeting timer, and
the slowest key presses of a session. So:

- the objects alive once the app has started (modules, the screen stack, the loaded workspace)
  are frozen (``gc.freeze``): later full collections do not scan them again;
- automatic full collections are made rare (the third threshold), and the app runs them itself
  every ``EVERY`` seconds, and soon after a screen or dialog changes (a closed one's widgets
  refer to each other, so only a full collection frees them): a timed screen (the meeting, the
  follow view) right after it drew a new second, so the pause lands in the second the display
  does not change; other screens at the app's next check, where nothing is counting. With the
  start-up objects frozen, such a collection takes ~8 ms on a running meeting of the 10-year
  workspace, not ~100 ms.

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
        self._saved: tuple[int, int, int] | None = None

    def install(self) -> None:
        """Freeze what start-up built and take full collections off the automatic schedule."""
        gc.collect()
        gc.freeze()
        self._saved = gc.get_threshold()
        first, second, _third = self._saved
        gc.set_threshold(first, second, RARE)
        self.last = self.clock()

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

    @property
    def due(self) -> bool:
        return self.requested or self.clock() - self.last >= self.every

    def collect(self) -> None:
        gc.collect()
        self.collections += 1
        self.requested = False
        self.last = self.clock()
