"""Damaged files: a clear error naming the file (and the parse position), the file left
byte-for-byte untouched, and never mistaken for a missing (new) file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem, Meeting
from facilitate.domain.roster import Organization
from facilitate.storage.errors import (
    CorruptFileError,
    SchemaTooNewError,
    UnknownIdError,
    WorkspaceMissingError,
)
from facilitate.storage.workspace import Workspace

from ._util import sha256, temp_files


def _truncated(original: bytes) -> bytes:
    return original[: len(original) // 2]


def _newer(original: bytes) -> bytes:
    data = json.loads(original)
    data["_meta"]["1"]["schema_version"] = 99
    return json.dumps(data).encode()


def _no_meta(original: bytes) -> bytes:
    data = json.loads(original)
    del data["_meta"]
    return json.dumps(data).encode()


# name -> (make damaged bytes from the original, error class, words the message must hold)
DAMAGE = {
    "empty": (lambda b: b"", CorruptFileError, ["empty"]),
    "whitespace": (lambda b: b"  \n\n", CorruptFileError, ["empty"]),
    "truncated": (_truncated, CorruptFileError, ["invalid JSON at line"]),
    "garbage": (lambda b: b"this is not json at all", CorruptFileError, ["line 1, column 1"]),
    "binary": (lambda b: b"\x00\xff\xfe\x80garbage", CorruptFileError, ["not UTF-8"]),
    "json-list": (lambda b: b"[1, 2, 3]", CorruptFileError, ["not a JSON object"]),
    "json-string": (lambda b: b'"hello"', CorruptFileError, ["not a JSON object"]),
    "json-null": (lambda b: b"null", CorruptFileError, ["not a JSON object"]),
    "missing-meta": (_no_meta, CorruptFileError, ["_meta"]),
    "meta-not-object": (lambda b: b'{"_meta": [1]}', CorruptFileError, ["_meta"]),
    "meta-without-version": (
        lambda b: b'{"_meta": {"1": {"kind": "x"}}}',
        CorruptFileError,
        ["schema_version"],
    ),
    "version-not-number": (
        lambda b: b'{"_meta": {"1": {"schema_version": "1"}}}',
        CorruptFileError,
        ["schema_version"],
    ),
    "table-not-object": (
        lambda b: b'{"_meta": {"1": {"schema_version": 1}}, "organizations": [1]}',
        CorruptFileError,
        ["organizations"],
    ),
    "record-not-object": (
        lambda b: b'{"_meta": {"1": {"schema_version": 1}}, "organizations": {"1": "x"}}',
        CorruptFileError,
        ["organizations"],
    ),
    "bad-record-key": (
        lambda b: b'{"_meta": {"1": {"schema_version": 1}}, "organizations": {"abc": {}}}',
        CorruptFileError,
        ["abc"],
    ),
    "newer-schema": (_newer, SchemaTooNewError, ["schema 99", "Upgrade facilitate"]),
}


def _json_position(data: bytes) -> str | None:
    try:
        json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno}, column {exc.colno}"
    except UnicodeDecodeError:
        return None
    return None


def _damage(path: Path, name: str) -> tuple[bytes, type[Exception], list[str]]:
    make, error, words = DAMAGE[name]
    damaged = make(path.read_bytes())
    path.write_bytes(damaged)
    return damaged, error, words


def _check_message(exc: Exception, path: Path, damaged: bytes, words: list[str]) -> None:
    text = str(exc)
    assert isinstance(exc, FacilitateError)
    assert str(path) in text
    for word in words:
        assert word in text
    position = _json_position(damaged)
    if position and damaged.strip():
        assert position in text  # the exact parse position
    assert "Traceback" not in text


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_collaborative_file_is_refused_on_open(populated, name) -> None:
    path = populated.collab
    damaged, error, words = _damage(path, name)
    digest = sha256(path)

    with pytest.raises(error) as info:
        Workspace.open(populated.root)

    _check_message(info.value, path, damaged, words)
    assert sha256(path) == digest
    assert temp_files(populated.root) == []


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_collaborative_file_is_refused_by_open_handle(populated, name) -> None:
    """Damage that appears while the program is running is caught at the next read/write."""
    ws = populated.ws
    path = populated.collab
    damaged, error, words = _damage(path, name)
    digest = sha256(path)

    with pytest.raises(error) as info:
        ws.snapshot().all(Organization)
    _check_message(info.value, path, damaged, words)
    with pytest.raises(error), ws.transaction() as tx:
        tx.add(Organization(name="Would overwrite the damaged file"))
    assert sha256(path) == digest
    assert temp_files(populated.root) == []


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_meeting_file_is_an_error_not_a_missing_meeting(populated, name) -> None:
    ws, mid = populated.ws, populated.meeting_id
    path = populated.meeting_file
    damaged, error, words = _damage(path, name)
    digest = sha256(path)

    ws = Workspace.open(populated.root)  # the collaborative file is fine
    snap = ws.snapshot()
    for read in (
        lambda: snap.get(Meeting, mid),
        lambda: snap.find(Meeting, mid),
        lambda: snap.bundle(mid),
        lambda: snap.meetings(),
        lambda: snap.all_actions(),
    ):
        with pytest.raises(error) as info:
            read()
        assert not isinstance(info.value, UnknownIdError)
        _check_message(info.value, path, damaged, words)
    with pytest.raises(error), ws.transaction() as tx:
        tx.add(AgendaItem(meeting_id=mid, title="Would recreate the file"))
    assert sha256(path) == digest
    assert temp_files(populated.root) == []


def test_bad_record_names_the_file(populated) -> None:
    data = json.loads(populated.meeting_file.read_text())
    first = next(iter(data["agenda"]))
    del data["agenda"][first]["title"]
    populated.meeting_file.write_text(json.dumps(data))
    digest = sha256(populated.meeting_file)
    with pytest.raises(CorruptFileError) as info:
        populated.ws.snapshot().bundle(populated.meeting_id)
    assert str(populated.meeting_file) in str(info.value)
    assert "title" in str(info.value)
    assert sha256(populated.meeting_file) == digest


def test_only_a_missing_meeting_file_is_unknown(populated) -> None:
    snap = populated.ws.snapshot()
    with pytest.raises(UnknownIdError, match="mtg-nowhere"):
        snap.get(Meeting, "mtg-nowhere")
    with pytest.raises(UnknownIdError):
        snap.bundle("mtg-nowhere")
    assert snap.find(Meeting, "mtg-nowhere") is None
    with pytest.raises(UnknownIdError):
        snap.all(AgendaItem, "mtg-nowhere")
    # Ids that could escape the meetings folder are never turned into paths.
    for bad in ("../collaborative", "/etc/passwd", ".hidden", "a/b", "x" * 200):
        assert snap.find(Meeting, bad) is None
    assert not (populated.root / "meetings" / "mtg-nowhere.json").exists()
    assert [m.id for m in snap.meetings()] == [populated.meeting_id]


def test_adding_to_a_missing_meeting_does_not_create_it(populated) -> None:
    with pytest.raises(UnknownIdError), populated.ws.transaction() as tx:
        tx.add(AgendaItem(meeting_id="mtg-nowhere", title="Orphan"))
    assert not (populated.root / "meetings" / "mtg-nowhere.json").exists()


def test_missing_workspace_is_its_own_error(tmp_path) -> None:
    with pytest.raises(WorkspaceMissingError, match="facilitate init"):
        Workspace.open(tmp_path / "nothing-here")
    assert not (tmp_path / "nothing-here").exists()
