"""The importer over a corpus of agendas shaped like real ones (tests/data/agendas/).

Each ``NAME.md`` has a ``NAME.json`` beside it: the items a chair reading the agenda would list
(title, minutes, presenter, confidential; a kind where it matters) and ``absent``: text that
must not become an item title (metadata, rules, comments, links, attendee names).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from facilitate.agenda.import_markdown import parse_agenda_bytes
from facilitate.domain.meeting import ItemKind

DATA = Path(__file__).resolve().parents[1] / "data" / "agendas"
CORPUS = sorted(DATA.glob("*.md"))

Key = tuple[str, int | None, str, bool]


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text("utf-8"))
    return data


def keys(items: list[dict[str, Any]]) -> list[Key]:
    return [(i["title"], i["minutes"], i["presenter"], i["confidential"]) for i in items]


def test_the_corpus_has_at_least_ten_agendas_each_with_its_expected_items() -> None:
    assert len(CORPUS) >= 10
    for path in CORPUS:
        assert path.with_suffix(".json").exists(), f"{path.name} has no expected-items file"
        assert expected(path)["items"], path.name


def test_at_least_97_percent_found_and_nothing_invented() -> None:
    found = total = 0
    invented: list[str] = []
    missed: list[str] = []
    for path in CORPUS:
        parsed = parse_agenda_bytes(path.read_bytes(), path.name)
        got = Counter((i.title, i.minutes, i.presenter, i.confidential) for i in parsed.items)
        want = keys(expected(path)["items"])
        want_titles = {k[0] for k in want}
        for key in want:
            total += 1
            if got[key] > 0:
                got[key] -= 1
                found += 1
            else:
                missed.append(f"{path.name}: {key}")
        invented += [
            f"{path.name}: {i.title!r} (line {i.line})"
            for i in parsed.items
            if i.title not in want_titles
        ]
    assert found / total >= 0.97, f"found {found}/{total}; missed: {missed}"
    assert invented == [], invented


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_case_review_is_confidential_and_kinds_match(path: Path) -> None:
    parsed = parse_agenda_bytes(path.read_bytes(), path.name)
    by_title = {i.title: i for i in parsed.items}
    for item in parsed.items:
        if item.kind is ItemKind.CASE_REVIEW:
            assert item.confidential, item.title
    for want in expected(path)["items"]:
        if "kind" in want and want["title"] in by_title:
            assert by_title[want["title"]].kind.value == want["kind"], want["title"]
            if want["kind"] == "case_review":
                assert by_title[want["title"]].confidential


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_metadata_rules_comments_and_links_never_become_items(path: Path) -> None:
    parsed = parse_agenda_bytes(path.read_bytes(), path.name)
    for text in expected(path).get("absent", []):
        for item in parsed.items:
            assert text not in item.title, f"{text!r} became (part of) the item {item.title!r}"
