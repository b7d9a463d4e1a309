"""Turn domain dataclasses into JSON documents and back.

One generic converter driven by type hints: ISO-8601 strings for instants (always UTC) and dates,
enum values as strings, nested dataclasses as objects. Unknown keys in a document are ignored so
an older program can read a file that a newer minor version added fields to.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

import pendulum
from pendulum import Date, DateTime

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
    return typing.cast(T, _decode(cls, doc, cls.__name__))


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _decode(args[0], value, where)
    if origin is list:
        (inner,) = get_args(tp)
        if not isinstance(value, list):
            raise DecodeError(f"{where}: expected a list")
        return [_decode(inner, v, f"{where}[{n}]") for n, v in enumerate(value)]
    if origin is dict:
        return dict(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise DecodeError(f"{where}: expected an object")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in value:
                kwargs[f.name] = _decode(hints[f.name], value[f.name], f"{where}.{f.name}")
        try:
            return tp(**kwargs)
        except TypeError as exc:
            raise DecodeError(f"{where}: {exc}") from exc
    if tp is DateTime:
        try:
            parsed = pendulum.parse(value)
        except Exception as exc:
            raise DecodeError(f"{where}: {value!r} is not an ISO-8601 instant") from exc
        if not isinstance(parsed, DateTime):
            raise DecodeError(f"{where}: {value!r} is not an instant")
        return parsed.in_timezone("UTC")
    if tp is Date:
        try:
            parsed = pendulum.parse(value, exact=True)
        except Exception as exc:
            raise DecodeError(f"{where}: {value!r} is not an ISO-8601 date") from exc
        if isinstance(parsed, DateTime):
            return parsed.date()
        if not isinstance(parsed, Date):
            raise DecodeError(f"{where}: {value!r} is not a date")
        return parsed
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError as exc:
            raise DecodeError(f"{where}: {value!r} is not a valid {tp.__name__}") from exc
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp in (str, int, bool) and not isinstance(value, tp):
        raise DecodeError(f"{where}: expected {tp.__name__}, got {type(value).__name__}")
    if tp is int and isinstance(value, bool):
        raise DecodeError(f"{where}: expected int, got bool")
    return value
