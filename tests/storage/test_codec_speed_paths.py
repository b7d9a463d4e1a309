"""The fast paths added for speed (compiled decoders, canonical instants and dates, the C-encoded
file layout) give exactly what the general paths give."""

from __future__ import annotations

import json

import pendulum
import pytest

from facilitate.domain.actions import ActionEvent, ActionItem
from facilitate.domain.meeting import AgendaItem, Meeting, TimeSpan
from facilitate.storage.atomic import dump_json
from facilitate.storage.codec import DecodeError, from_doc, to_doc


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-10T16:00:00+00:00",
        "2026-12-10T16:00:00.123456+00:00",
        "2026-12-10T16:00:00.5+00:00",
        "2026-12-10T10:00:00-06:00",  # not canonical: the general path
        "2026-12-10T16:00:00Z",
        "2026-12-10 16:00:00+00:00",
    ],
)
def test_instants_decode_as_pendulum_parses_them(text: str) -> None:
    doc = {"meeting_id": "m", "title": "t", "spans": [{"start": text}]}
    got = from_doc(AgendaItem, doc).spans[0].start
    parsed = pendulum.parse(text)
    assert isinstance(parsed, pendulum.DateTime)
    want = parsed.in_timezone("UTC")
    assert got == want
    assert got.tzinfo == want.tzinfo
    assert got.isoformat() == want.isoformat()
    assert type(got) is type(want)


@pytest.mark.parametrize("text", ["2026-12-10", "2026-02-28"])
def test_dates_decode_as_pendulum_parses_them(text: str) -> None:
    doc = {"meeting_id": "m", "text": "x", "due": text}
    got = from_doc(ActionItem, doc).due
    assert got == pendulum.parse(text, exact=True)
    assert type(got) is pendulum.Date


def test_round_trip_of_nested_records() -> None:
    now = pendulum.datetime(2026, 11, 22, 9, 30, 15, 250, tz="UTC")
    item = AgendaItem(
        meeting_id="m", title="t", spans=[TimeSpan(start=now, end=now.add(minutes=3))]
    )
    action = ActionItem(
        meeting_id="m",
        text="x",
        owner_id="mem-1",
        due=now.date(),
        history=[ActionEvent(at=now, what="postponed", by="A")],
    )
    for record in (item, action):
        assert from_doc(type(record), to_doc(record)) == record


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"title": "x", "start": "nope", "end": "2026-01-01T00:00:00+00:00"},
            "Meeting.start: 'nope' is not an ISO-8601 instant",
        ),
        (
            {"title": "x", "start": "2026-13-01T00:00:00+00:00", "end": "x"},
            "Meeting.start: '2026-13-01T00:00:00+00:00' is not an ISO-8601 instant",
        ),
        (
            {"title": 5, "start": "2026-01-01T00:00:00+00:00"},
            "Meeting.title: expected str, got int",
        ),
        ({"title": "x", "rev": True}, "Meeting.rev: expected int, got bool"),
        ({"title": "x", "status": "weird"}, "Meeting.status: 'weird' is not a valid MeetingStatus"),
        (
            {"title": "x", "minutes_approved_on": "2026-02-30"},
            "Meeting.minutes_approved_on: '2026-02-30' is not an ISO-8601 date",
        ),
    ],
)
def test_errors_name_the_field(doc: dict[str, object], message: str) -> None:
    with pytest.raises(DecodeError) as exc:
        from_doc(Meeting, doc)
    assert str(exc.value) == message


def test_errors_name_list_positions() -> None:
    doc = {
        "meeting_id": "m",
        "title": "t",
        "spans": [{"start": "2026-01-01T00:00:00+00:00"}, {"start": "bad"}],
    }
    with pytest.raises(DecodeError, match=r"^AgendaItem\.spans\[1\]\.start: 'bad' is not"):
        from_doc(AgendaItem, doc)
    with pytest.raises(DecodeError, match=r"^AgendaItem\.spans: expected a list$"):
        from_doc(AgendaItem, {"meeting_id": "m", "title": "t", "spans": {}})
    with pytest.raises(DecodeError, match=r"^AgendaItem: .*missing 1 required"):
        from_doc(AgendaItem, {"meeting_id": "m"})


def test_data_files_keep_one_record_per_line_and_round_trip() -> None:
    data = {
        "_meta": {"1": {"schema_version": 1, "kind": "meeting"}},
        "agenda": {
            "2": {"id": "b", "notes": "line\none \u00e9 \u2028"},
            "1": {"id": "a", "n": 1.5},
        },
        "empty": {},
    }
    text = dump_json(data).decode("utf-8")
    assert json.loads(text) == data
    assert text.split("\n") == [
        "{",
        ' "_meta": {',
        '  "1": {"kind": "meeting", "schema_version": 1}',
        " },",
        ' "agenda": {',
        '  "1": {"id": "a", "n": 1.5},',
        '  "2": {"id": "b", "notes": "line\\none \u00e9 \u2028"}',
        " },",
        ' "empty": {}',
        "}",
    ]


@pytest.mark.parametrize("data", [{}, [1, 2], {"a": 1}, {"a": {1: {"x": 1}}}])
def test_other_shapes_are_written_the_general_way(data: object) -> None:
    assert json.loads(dump_json(data)) == json.loads(json.dumps(data))
