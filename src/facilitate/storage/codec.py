"""Turn domain dataclasses into JSON documents and back.

One generic converter driven by type hints: ISO-8601 strings for instants (always UTC) and dates,
enum values as strings, nested dataclasses as objects. Unknown keys in a document are ignored so
an older program can read a file that a newer minor version added fields to.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

import pendulum
from pendulum import UTC, Date, DateTime

from .validate import (
    FIELD_RULES,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_INT,
    LimitError,
    int_in_range,
    text_size,
    year_in_range,
)

T = TypeVar("T")


class DecodeError(ValueError):
    pass


def to_doc(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_doc(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, DateTime):
        return obj.in_timezone("UTC").isoformat()
    if isinstance(obj, Date):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [to_doc(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_doc(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_doc(cls: type[T], doc: Any) -> T:
    try:
        return typing.cast(T, _decoder(typing.cast(Any, cls))(doc))
    except _Bad as exc:
        where = "".join(reversed(exc.path))
        if exc.record_id is None:
            raise DecodeError(f"{cls.__name__}{where}: {exc.message}") from exc
        field_part = f", field {where.lstrip('.')}" if where else ""
        raise DecodeError(f"{cls.__name__} {exc.record_id}{field_part}: {exc.message}") from exc


# Decoding is compiled once per type into a chain of small functions (the type hints are not
# re-inspected for every value), and instants/dates in the canonical form to_doc writes take a
# fast path. Any other input goes the general way, with the same results and messages.

Decoder = Callable[[Any], Any]


class _Bad(DecodeError):
    """A decode failure on its way up; each level adds its part of the path (innermost first)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str] = []
        self.record_id: str | None = None  # the outermost record's id, when it has one


def _record_id(value: dict[str, Any]) -> str | None:
    if "id" not in value:
        return None
    rid = value["id"]
    if isinstance(rid, str) and 0 < len(rid) <= 80 and rid.isprintable():
        return rid
    return "(with a bad id)"


CANONICAL_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\+00:00")
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def _decoder(tp: Any) -> Decoder:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _optional(args[0])
    if origin is list:
        (inner,) = get_args(tp)
        return _list_of(inner)
    if origin is dict:
        return dict
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass(tp)
    if tp is DateTime:
        return _instant
    if tp is Date:
        return _date
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum(tp)
    if tp is float:
        return _float
    if tp is int:
        return _int
    if tp is str:
        return _str
    if tp is bool:
        return _exact(tp)
    return _same


def _optional(inner_tp: Any) -> Decoder:
    inner: Decoder | None = None

    def decode(value: Any) -> Any:
        nonlocal inner
        if value is None:
            return None
        if inner is None:
            inner = _decoder(inner_tp)
        return inner(value)

    return decode


def _list_of(inner_tp: Any) -> Decoder:
    inner: Decoder | None = None

    def decode(value: Any) -> Any:
        nonlocal inner
        if not isinstance(value, list):
            raise _Bad("expected a list")
        if inner is None:
            inner = _decoder(inner_tp)
        out = []
        for n, v in enumerate(value):
            try:
                out.append(inner(v))
            except _Bad as exc:
                exc.path.append(f"[{n}]")
                raise
        return out

    return decode


def _dataclass(cls: type) -> Decoder:
    # The plan is built on first use, so self-referencing types cannot recurse at compile time.
    plan: tuple[tuple[str, Decoder, Callable[[Any], None] | None], ...] | None = None

    def decode(value: Any) -> Any:
        nonlocal plan
        if not isinstance(value, dict):
            raise _Bad("expected an object")
        if plan is None:
            hints = _hints(cls)
            plan = tuple(
                (f.name, _decoder(hints[f.name]), FIELD_RULES.get(f.name))
                for f in dataclasses.fields(cls)
            )
        kwargs = {}
        try:
            for name, field_decoder, rule in plan:
                if name in value:
                    try:
                        decoded = field_decoder(value[name])
                        if rule is not None:
                            rule(decoded)
                    except LimitError as exc:
                        bad = _Bad(str(exc))
                        bad.path.append(f".{name}")
                        raise bad from exc
                    except _Bad as exc:
                        exc.path.append(f".{name}")
                        raise
                    kwargs[name] = decoded
            try:
                return cls(**kwargs)
            except (TypeError, ValueError, OverflowError) as exc:
                raise _Bad(str(exc)[:200]) from exc
        except _Bad as exc:
            if has_id and "id" in value:
                exc.record_id = _record_id(value)
            raise

    has_id = any(f.name == "id" for f in dataclasses.fields(cls))

    return decode


def _instant(value: Any) -> DateTime:
    if type(value) is str and CANONICAL_INSTANT.fullmatch(value):
        try:
            d = datetime.fromisoformat(value)
        except ValueError:
            pass  # e.g. month 13: the general path below reports it
        else:
            if not FIRST_YEAR <= d.year <= LAST_YEAR:
                _year(d.year, value)
            return DateTime(
                d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tzinfo=UTC
            )
    if type(value) is not str:
        raise _Bad(f"expected an ISO-8601 instant, got {type(value).__name__}")
    text_size_ok(value)
    try:
        parsed = pendulum.parse(value)
    except Exception as exc:
        raise _Bad(f"{_shown(value)} is not an ISO-8601 instant") from exc
    if not isinstance(parsed, DateTime):
        raise _Bad(f"{_shown(value)} is not an instant")
    _year(parsed.year, value)
    try:
        return parsed.in_timezone("UTC")
    except (ValueError, OverflowError) as exc:
        raise _Bad(f"{_shown(value)} is not a real instant") from exc


def _year(year: int, value: str) -> None:
    try:
        year_in_range(year, value)
    except LimitError as exc:
        raise _Bad(str(exc)) from exc


def text_size_ok(value: str) -> None:
    try:
        text_size(value)
    except LimitError as exc:
        raise _Bad(str(exc)) from exc


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(value: Any) -> Date:
    if type(value) is str and _PLAIN_DATE.fullmatch(value):
        try:
            day = Date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                _year(day.year, value)
            return day
    if type(value) is not str:
        raise _Bad(f"expected an ISO-8601 date, got {type(value).__name__}")
    text_size_ok(value)
    try:
        parsed = pendulum.parse(value, exact=True)
    except Exception as exc:
        raise _Bad(f"{_shown(value)} is not an ISO-8601 date") from exc
    if isinstance(parsed, DateTime):
        parsed = parsed.date()
    if not isinstance(parsed, Date):
        raise _Bad(f"{_shown(value)} is not a date")
    _year(parsed.year, value)
    return parsed


def _enum(tp: type[Enum]) -> Decoder:
    def decode(value: Any) -> Any:
        try:
            return tp(value)
        except (ValueError, TypeError) as exc:
            raise _Bad(f"{_shown(value)} is not a valid {tp.__name__}") from exc

    return decode


def _float(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int):
            _int(value)  # (float() of a 400-digit integer overflows)
        out = float(value)
        if not math.isfinite(out):
            raise _Bad(f"{value!r} is not a finite number")
        return out
    return value


def _int(value: Any) -> Any:
    if not isinstance(value, int):
        raise _Bad(f"expected int, got {type(value).__name__}")
    if isinstance(value, bool):
        raise _Bad("expected int, got bool")
    if -MAX_INT <= value <= MAX_INT:  # (inline: this runs for every stored integer)
        return value
    try:
        int_in_range(value)
    except LimitError as exc:
        raise _Bad(str(exc)) from exc
    return value


def _exact(tp: type) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, tp):
            raise _Bad(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return decode


def _str(value: Any) -> Any:
    if not isinstance(value, str):
        raise _Bad(f"expected str, got {type(value).__name__}")
    if len(value) > 1000:  # (short texts, nearly all of them, skip the call)
        text_size_ok(value)
    return value


def _same(value: Any) -> Any:
    return value
