"""Records that do not decode: found before a save, so damage is never carried forward.

A save rewrites the whole file. If one of its records does not decode (a wrong type, a number
outside the limits of ``validate``, an unknown time zone...), writing the file would carry the
damage forward under a fresh audit entry, or turn it into something worse (``1e400`` read as
infinity was written back as the non-JSON ``Infinity``). So a file is written only when every
record in it decodes; otherwise the save is refused, naming the file and the record, and the
file stays byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .codec import DecodeError, from_doc
from .errors import CorruptFileError


def damaged_records(
    data: Mapping[str, Any], tables: Mapping[type, str]
) -> Iterator[tuple[str, str, str]]:
    """(table, record key, message) for every stored record that does not decode."""
    for cls, table in tables.items():
        docs = data.get(table)
        if not isinstance(docs, dict):
            continue
        for key, doc in docs.items():
            try:
                from_doc(cls, doc)
            except DecodeError as exc:
                yield table, key, str(exc)


def require_decodable(path: Path, data: Mapping[str, Any], tables: Mapping[type, str]) -> None:
    """Refuse to save ``path`` while a record in it does not decode."""
    for _table, _key, message in damaged_records(data, tables):
        raise CorruptFileError(path, f"bad record: {message}")
