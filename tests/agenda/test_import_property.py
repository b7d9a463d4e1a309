"""Random Markdown built from headings, lists, tables, comments and code blocks: the importer
either reads it or raises its own clear error, and nothing inside a comment or a code block
ever becomes an item (nor, for comments, anything at all)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.agenda.import_markdown import AgendaImportError, parse_agenda

IN_COMMENT = "Zqxcomment"
IN_CODE = "Zqxcode"

WORDS = st.sampled_from(
    [
        "Welcome", "Case review", "Budget", "Legend", "Rules", "Host:", "Dial-in:", "(5m)",
        "(10-15m)", "(≤30m)", "1h", "10:00", "10:00-10:15", "- Ana Ruiz", "(Bo Advocate)",
        "🔒", ":hourglass:", "~~old~~", "**bold**", "[slides](https://e.org)", "(slides)",
        "confidential", "Closed session", "Training", "&le;", "\\|", "(15m on the last day)",
        "Agenda", "Attendees", "Schedule constraints", "x" * 40, "(1h75)", "(15-10m)",
    ]
)  # fmt: skip
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


def _heading(level: int, text: str) -> str:
    return "#" * level + " " + text


def _list(lines: list[tuple[int, bool, str]]) -> str:
    return "\n".join(
        "  " * (2 * depth) + ("1. " if numbered else "- ") + text for depth, numbered, text in lines
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([row(header), row(["---"] * len(header)), *map(row, rows)])


HEADERS = st.sampled_from(["Topic", "Timebox", "Presenter", "Emoji", "Meaning", "Stage", "When"])
BLOCKS = st.one_of(
    st.builds(_heading, st.integers(1, 4), TEXT),
    st.builds(
        _list,
        st.lists(st.tuples(st.integers(0, 2), st.booleans(), TEXT), min_size=1, max_size=5),
    ),
    st.integers(1, 4).flatmap(
        lambda n: st.builds(
            _table,
            st.lists(HEADERS, min_size=n, max_size=n),
            st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=4),
        )
    ),
    TEXT,
    st.builds(lambda t: f"<!-- - {IN_COMMENT} {t} (5m) -->", TEXT),
    st.builds(lambda t: f"- {t} <!-- 1. {IN_COMMENT} (5m)\n  - more -->", TEXT),
    st.builds(lambda t: f"```\n- {IN_CODE} {t} (5m)\n## {IN_CODE}\n```", TEXT),
    st.builds(lambda t: f"~~~md\n1. {IN_CODE} (10m)\n| Topic |\n|---|\n| {t} |\n~~~", TEXT),
)
DOCUMENTS = st.lists(st.tuples(BLOCKS, st.sampled_from(["\n", "\n\n"])), max_size=12).map(
    lambda parts: "".join(block + sep for block, sep in parts)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_random_markdown_reads_or_fails_clearly(markdown: str) -> None:
    try:
        parsed = parse_agenda(markdown, "random.md")
    except AgendaImportError as exc:
        assert str(exc).startswith("random.md") and "Nothing was imported" in str(exc)
        return
    for item in parsed.items:
        assert IN_COMMENT not in item.title and IN_COMMENT not in item.notes
        assert IN_CODE not in item.title
        assert IN_COMMENT not in item.presenter and IN_CODE not in item.presenter


def test_hostile_strings_in_every_place_read_or_fail_clearly(hostile_strings: list[str]) -> None:
    for value in hostile_strings:
        one_line = value.replace("\n", " ")
        for markdown in (
            f"- {one_line} (5m) - Ana Ruiz\n",
            f"## {one_line}\n\n- Welcome (5m)\n",
            f"| Timebox | Topic | Presenter |\n|---|---|---|\n| 5m | {one_line} | {one_line} |\n",
            f"{one_line}\n\n## Agenda\n\n1. Welcome (5m)\n",
        ):
            try:
                parsed = parse_agenda(markdown, "hostile.md")
            except AgendaImportError as exc:
                assert "Nothing was imported" in str(exc)
                continue
            for item in parsed.items:
                assert "\x1b" not in item.title and "\x1b" not in item.presenter
