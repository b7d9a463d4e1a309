"""Keeping both versions of notes two people edited at once."""

from __future__ import annotations


def merge_notes(base: str, mine: str, theirs: str) -> str:
    """Both versions in one text; nothing typed by either side is lost.

    If both only added text at the end of what they started from (the usual case when two
    people take notes), the result is theirs followed by what I added. Otherwise it is theirs
    followed by every line of mine that theirs does not already contain, in my order.
    """
    if mine == theirs:
        return mine
    if theirs.startswith(base) and mine.startswith(base):
        added = mine[len(base) :]
        if not added.strip():
            return theirs
        if theirs and not theirs.endswith("\n") and not added.startswith("\n"):
            added = "\n" + added
        return theirs + added
    have = set(theirs.splitlines())
    extra = [line for line in mine.splitlines() if line not in have]
    if not extra:
        return theirs
    glue = "" if not theirs or theirs.endswith("\n") else "\n"
    return theirs + glue + "\n".join(extra)
