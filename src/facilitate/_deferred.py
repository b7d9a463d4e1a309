"""Third-party modules facilitate never uses, loaded only if something does use them.

pendulum imports ``dateutil.parser`` when it is imported, for its non-strict parsing
(``pendulum.parse(text, strict=False)``). facilitate parses every date strictly, so that
parser (with decimal, zoneinfo, ctypes and importlib.resources behind it) cost ~1.3 MiB of
memory and a few milliseconds of every start for nothing. Until first use, a stand-in module
takes its place in ``sys.modules``; the first attribute anyone reads from it imports the real
module and answers from it, so code that does use it (pendulum's non-strict parsing, or
``from dateutil import parser``) works unchanged.

Likewise pendulum finds a locale's folder through ``importlib.resources`` (zipfile and a dozen
more modules, ~2.5 ms at start-up, when the home screen first formats a date) before it
imports the locale module; ``english_locale`` imports the one facilitate formats with
(pendulum's default, "en") directly.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

DEFERRED = ("dateutil.parser",)


class _OnFirstUse(types.ModuleType):
    """Stands in for a module until an attribute is read; then imports the real one."""

    def __getattr__(self, name: str) -> Any:  # only for attributes this stand-in lacks
        return getattr(load(self.__name__), name)


def load(name: str) -> types.ModuleType:
    """The real module (imported now if only the stand-in was there)."""
    module = sys.modules.get(name)
    if isinstance(module, _OnFirstUse):
        del sys.modules[name]
    return importlib.import_module(name)


def install() -> None:
    """Put the stand-ins in place: before pendulum is imported, or it is too late (then this
    does nothing and everything works as without it)."""
    if "pendulum" in sys.modules:
        return
    for name in DEFERRED:
        if name not in sys.modules:
            stand_in = _OnFirstUse(name, "Loaded on first use (see facilitate._deferred).")
            stand_in.__spec__ = None
            sys.modules[name] = stand_in


def english_locale() -> None:
    """Put pendulum's default locale in its cache, imported directly (see the module's
    docstring). Does nothing if pendulum's layout is not the one this was written for: it then
    finds the locale its own way."""
    try:
        from pendulum.locales.en.locale import locale
        from pendulum.locales.locale import Locale
    except ImportError:  # pragma: no cover (another pendulum)
        return
    cache = getattr(Locale, "_cache", None)
    if isinstance(cache, dict) and "en" not in cache:
        cache["en"] = Locale("en", locale)
