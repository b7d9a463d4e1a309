"""Per-user display preferences (the theme), kept on the user's own computer account, never
in the shared workspace: one facilitator's projector theme is not everyone's.

The file is ``preferences.toml`` in the user's config folder (platformdirs
``user_config_dir("facilitate")``, or ``$FACILITATE_CONFIG_DIR``), read with ``tomllib`` and
written by the small writer below (the few keys are strings and booleans), atomically, 0600.
A ``themes/`` folder there holds the user's own themes, ``*.json`` in the format of the
packaged ones; a broken file is skipped with a warning naming it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.common import FacilitateError
from ..storage.atomic import atomic_write_bytes

ENV = "FACILITATE_CONFIG_DIR"
FILE_NAME = "preferences.toml"
THEMES_DIR = "themes"
KEYS = {"theme": str}  # the preferences known, and their types
MAX_THEME_FILE = 64 * 1024
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


class PreferencesError(FacilitateError):
    pass


def config_dir() -> Path:
    override = os.environ.get(ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("facilitate", appauthor=False))


def preferences_path() -> Path:
    return config_dir() / FILE_NAME


@dataclass
class Preferences:
    theme: str | None = None
    # Why the file could not be used (shown once): then nothing is written over it either.
    problem: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # keys of a newer version, kept


def load() -> Preferences:
    path = preferences_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Preferences()
    except OSError as exc:
        return Preferences(problem=f"{path} could not be read ({exc.strerror}).")
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Preferences(
            problem=f"{path} is not valid TOML ({exc}): fix or remove it; "
            "your theme choices are not saved meanwhile."
        )
    prefs = Preferences()
    for key, value in data.items():
        kind = KEYS.get(key)
        if kind is None:
            prefs.extra[key] = value
        elif isinstance(value, kind):
            setattr(prefs, key, value)
        else:
            prefs.problem = f"{path}: {key} must be text, not {value!r}; it is ignored."
    return prefs


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    return None  # (a table or list of a newer version: not rewritten by this one)


def dumps(values: dict[str, Any]) -> str:
    lines = ["# facilitate: your display preferences (this computer account only)"]
    for key, value in values.items():
        text = _toml_value(value)
        if text is None or value is None:
            continue
        name = key if _BARE_KEY.match(key) else _toml_string(key)
        lines.append(f"{name} = {text}")
    return "\n".join(lines) + "\n"


def save(prefs: Preferences) -> Path:
    """Write the preferences (atomic, 0600, in a 0700 folder). Refused when the file on disk
    could not be read: it is never silently overwritten."""
    if prefs.problem:
        raise PreferencesError(prefs.problem)
    path = preferences_path()
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise PreferencesError(f"{folder} could not be created ({exc.strerror}).") from exc
    values: dict[str, Any] = {**prefs.extra, "theme": prefs.theme}
    try:
        atomic_write_bytes(path, dumps(values).encode("utf-8"), 0o600)
    except (OSError, FacilitateError) as exc:
        raise PreferencesError(f"{path} could not be written: {exc}") from exc
    return path


def remember_theme(name: str) -> Path:
    prefs = load()
    prefs.theme = name
    return save(prefs)


@dataclass(frozen=True)
class ThemeFile:
    path: Path
    data: dict[str, Any]


def user_themes() -> tuple[list[ThemeFile], list[str]]:
    """The user's own themes (``themes/*.json`` in the config folder), and a warning for each
    file that cannot be used (the caller turns ``data`` into a Theme and may add more)."""
    folder = config_dir() / THEMES_DIR
    try:
        names = sorted(p for p in folder.iterdir() if p.suffix == ".json")
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    except OSError as exc:
        return [], [f"Your themes folder {folder} could not be read ({exc.strerror})."]
    found: list[ThemeFile] = []
    warnings: list[str] = []
    for path in names:
        try:
            if path.stat().st_size > MAX_THEME_FILE:
                raise ValueError("larger than 64 KB")
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            if not isinstance(data.get("name"), str) or not data["name"].strip():
                raise ValueError('no "name"')
            if not isinstance(data.get("primary"), str):
                raise ValueError('no "primary" colour')
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            warnings.append(f"Theme file {path.name} skipped: {exc}. ({path})")
            continue
        found.append(ThemeFile(path, data))
    return found, warnings
