"""Keeping both versions of notes: nothing either side typed is lost."""

from __future__ import annotations

import pytest

from facilitate.collab.merge import merge_notes


@pytest.mark.parametrize(
    "base,mine,theirs,expected",
    [
        # Both added at the end: theirs, then what I added.
        ("Room 214", "Room 214\nmine", "Room 214\ntheirs", "Room 214\ntheirs\nmine"),
        ("Room 214", "Room 214, hybrid", "Room 214\nJo late", "Room 214\nJo late\n, hybrid"),
        ("", "mine", "theirs", "theirs\nmine"),
        ("a\n", "a\nmine\n", "a\ntheirs\n", "a\ntheirs\nmine\n"),
        # Same text on both sides.
        ("x", "same", "same", "same"),
        # I only added whitespace: nothing to add.
        ("x", "x  ", "x y", "x y"),
        # Edits in the middle: my lines theirs lacks are appended, in my order.
        ("one\ntwo", "one\nTWO\nthree", "ONE\ntwo", "ONE\ntwo\none\nTWO\nthree"),
        ("one\ntwo", "one", "one\ntwo\nthree", "one\ntwo\nthree"),
    ],
)
def test_merge(base: str, mine: str, theirs: str, expected: str) -> None:
    assert merge_notes(base, mine, theirs) == expected


@pytest.mark.parametrize(
    "base,mine,theirs",
    [
        ("", "a\nb\nc", "d"),
        ("shared start", "shared start and mine", "changed completely"),
        ("x\ny", "y\nx", "x"),
        ("line", "", "line\nmore"),
    ],
)
def test_every_line_of_both_survives(base: str, mine: str, theirs: str) -> None:
    merged = merge_notes(base, mine, theirs)
    lines = set(merged.splitlines())
    assert set(theirs.splitlines()) <= lines
    assert all(line in merged for line in mine.splitlines())
