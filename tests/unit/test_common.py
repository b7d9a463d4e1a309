"""common.py: text cleaning, required fields, minutes, timezones, dates and ids."""

from __future__ import annotations

import re

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitate.domain.common import (
    MAX_NAME,
    FacilitateError,
    ValidationError,
    as_utc,
    clean_text,
    impossible_date,
    new_id,
    optional_text,
    parse_date,
    require_minutes,
    require_text,
    require_timezone,
)

from ..conftest import HOSTILE_STRINGS

# Anything a terminal could act on: C0 (except tab/newline), DEL and C1; and the bidi
# overrides that reorder what is shown (U+202A-202E, U+2066-2069).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\r" not in text
    assert FORBIDDEN.search(text) is None, repr(text)


# --------------------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # OSC 52: write to the clipboard. The base64 payload must go too.
        ("Trent\x1b]52;c;cm0gLXJmIH4K\x07", "Trent"),
        ("Trent\x1b]52;c;cm0gLXJmIH4K\x1b\\ after", "Trent after"),
        # OSC 0 / 2: set the window title.
        ("Mallory\x1b]0;PWNED-TITLE\x07", "Mallory"),
        ("a\x1b]2;title\x1b\\b", "ab"),
        # OSC 8 hyperlink around visible text: the link goes, the text stays.
        ("\x1b]8;;https://phish.example\x1b\\Minutes\x1b]8;;\x1b\\", "Minutes"),
        # CSI: clear screen, cursor home, colours, private modes.
        ("\x1b[2J\x1b[HCleared", "Cleared"),
        ("Oscar\x1b[31mRed\x1b[0m", "OscarRed"),
        ("x\x1b[38;2;255;0;0my", "xy"),
        ("\x1b[?1049h\x1b[?25lhidden", "hidden"),
        ("\x1b[1;1H\x1b[K\x1b[3J", ""),
        # Two-byte ESC Fe sequences (index, reverse index, ST).
        ("a\x1bDb\x1bMc", "abc"),
        ("end\x1b\\", "end"),
    ],
)
def test_clean_text_removes_whole_escape_sequences(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "char",
    [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)] if c != 0x0D],
)
def test_clean_text_strips_every_c0_and_c1_control(char: str) -> None:
    # A lone control character disappears; text before it is kept. (What follows an ESC or
    # CSI introducer may be the sequence's final byte and is then removed with it.)
    assert clean_text(f"a{char}") == "a"
    assert clean_text(f"{char}") == ""
    assert clean_text(f"a{char}\n") == "a\n"


def test_clean_text_keeps_tab_and_newline_and_normalises_carriage_returns() -> None:
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("line1\r\nline2\rline3") == "line1\nline2\nline3"


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\U0001f3fd\u200d\u2696\ufe0f Judge",  # ZWJ sequence with skin tone + VS16
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family ZWJ
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
        "\u7530\u4e2d \u592a\u90ce",  # CJK
        "\ud55c\uad6d\uc5b4 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",  # Hangul, Arabic
        "\u05e2\u05d1\u05e8\u05d9\u05ea \u0939\u093f\u0928\u094d\u0926\u0940",  # Hebrew, Devanagari
        "Zalgo z\u0351\u0352\u0353a\u0354\u0355l\u0356\u0357g\u0358o",  # combining marks
        "e\u0301 vs \u00e9",  # decomposed and precomposed
        "\u00a0non-breaking\u2003em space\u2014dash",
        "Caf\u00e9 \u00fcber \u00df \u0141\u00f3d\u017a",
        "[bold red]Eve[/] <script>alert(1)</script> **md** `code` & 'quotes'",
    ],
)
def test_clean_text_keeps_printable_unicode(text: str) -> None:
    assert clean_text(text) == text


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\t\n"),
        max_size=60,
    )
)
def test_clean_text_is_identity_on_text_without_controls(text: str) -> None:
    assert clean_text(text) == text


@given(st.text(max_size=80))
def test_clean_text_output_is_terminal_safe_and_idempotent(text: str) -> None:
    once = clean_text(text)
    assert_terminal_safe(once)
    assert clean_text(once) == once


@given(st.lists(st.sampled_from(["\x1b", "[", "]", "\x07", "\\", "5", "2", ";", "m", "a"])))
def test_clean_text_escape_fragments_never_leave_an_esc(parts: list[str]) -> None:
    assert_terminal_safe(clean_text("".join(parts)))


def test_every_hostile_string_survives_clean_text(hostile_strings: list[str]) -> None:
    assert len(hostile_strings) >= 20
    for raw in hostile_strings:
        cleaned = clean_text(raw)
        assert isinstance(cleaned, str)
        assert_terminal_safe(cleaned)
        if "\x1b" not in raw:
            # Markup, HTML, bidi marks, emoji, tabs: stored as the literal value; only the
            # bidi overrides go.
            assert cleaned == BIDI.sub("", raw)


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_clean_text_removes_every_bidi_override_and_isolate(code: int) -> None:
    # U+202E shows "invoice\u202eexe.pdf" as "invoicefdp.exe"; the isolates nest the same.
    assert clean_text(f"invoice{chr(code)}exe.pdf") == "invoiceexe.pdf"


def test_clean_text_keeps_the_bidi_marks_and_right_to_left_text() -> None:
    # LRM/RLM and ALM are marks, not overrides: ordinary text in Hebrew or Arabic needs them.
    text = "\u05e9\u05dc\u05d5\u05dd\u200f (\u0645\u0631\u062d\u0628\u0627\u061c) \u200e"
    assert clean_text(text) == text


@pytest.mark.parametrize("raw", HOSTILE_STRINGS)
def test_hostile_strings_through_text_fields_give_a_value_or_a_validation_error(raw: str) -> None:
    try:
        value = require_text(raw, "Name")
    except ValidationError:
        assert clean_text(raw).strip() == ""
    else:
        assert value == clean_text(raw).strip()
        assert_terminal_safe(value)
    assert_terminal_safe(optional_text(raw, "Notes"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1bP+q544e\x1b\\after", "after"),  # DCS (XTGETTCAP)
        ("\x1b_app-command\x1b\\after", "after"),  # APC
        ("\x1b^privacy\x1b\\after", "after"),  # PM
        ("\x1bXstring\x1b\\after", "after"),  # SOS
    ],
)
def test_clean_text_removes_string_sequence_payloads(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("reset\x1bc", "reset"),  # ESC c: RIS full terminal reset (Fs)
        ("\x1b7saved\x1b8", "saved"),  # DECSC / DECRC (Fp)
        ("\x1b(0x", "x"),  # designate DEC line-drawing charset (nF)
        ("\x1b#8", ""),  # DECALN: fill the screen with E (nF)
    ],
)
def test_clean_text_removes_other_esc_sequences_whole(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("Trent\x9d52;c;cm0gLXJmIH4K\x07", "Trent"),  # 8-bit OSC 52
        ("x\x9d0;title\x9cy", "xy"),  # 8-bit OSC with 8-bit ST
    ],
)
def test_clean_text_removes_c1_introduced_sequences_whole(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_osc_terminated_by_c1_st_keeps_following_text() -> None:
    assert clean_text("Title\x1b]0;evil\x9c and the rest of the notes") == (
        "Title and the rest of the notes"
    )


# --------------------------------------------------------------------------- require_text


@pytest.mark.parametrize("raw", ["", None, "   ", "\t\n  \n", "\x1b[2J", "\x00\x07\x1b]0;x\x07 "])
def test_require_text_refuses_empty_after_cleaning(raw: str | None) -> None:
    with pytest.raises(ValidationError, match="Title is empty"):
        require_text(raw, "Title")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("Title", "Title is empty: enter a title."),
        ("Action text", "Action text is empty: enter an action text."),
        ("Organization", "Organization is empty: enter an organization."),
    ],
)
def test_require_text_names_the_field_with_its_article(field: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        require_text("", field)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Alice  ", "Alice"),
        ("Ali\x1b[31mce", "Alice"),
        ("\tBob\n", "Bob"),
        ("Trent\x1b]52;c;cm0gLXJmIH4K\x07", "Trent"),
        (
            "\u7530\u4e2d \U0001f469\U0001f3fd\u200d\u2696\ufe0f",
            "\u7530\u4e2d \U0001f469\U0001f3fd\u200d\u2696\ufe0f",
        ),
    ],
)
def test_require_text_cleans_and_strips(raw: str, expected: str) -> None:
    assert require_text(raw, "Name") == expected


def test_require_text_length_limit_is_inclusive_and_counts_cleaned_text() -> None:
    assert require_text("a" * MAX_NAME, "Name") == "a" * MAX_NAME
    # Escape sequences do not count toward the limit: they are removed first.
    assert require_text("\x1b[31m" + "a" * MAX_NAME + "\x1b[0m", "Name") == "a" * MAX_NAME
    with pytest.raises(ValidationError, match=r"201 characters long: keep it under 200"):
        require_text("a" * (MAX_NAME + 1), "Name")
    assert require_text("b" * 300, "Title", max_len=300) == "b" * 300
    with pytest.raises(ValidationError, match="Title is 301 characters"):
        require_text("b" * 301, "Title", max_len=300)


def test_validation_error_is_a_user_facing_value_error() -> None:
    assert issubclass(ValidationError, FacilitateError)
    assert issubclass(ValidationError, ValueError)


# --------------------------------------------------------------------------- require_minutes


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (1, 1), (45, 45), (600, 600), (2.4, 2), (2.6, 3), (0.2, 0), (599.6, 600), (10.0, 10)],
)
def test_require_minutes_accepts_and_rounds(value: float, expected: int) -> None:
    result = require_minutes(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "negative"),
        (-0.5, "negative"),
        (601, "more than the 600-minute limit"),
        (600.4, "more than the 600-minute limit"),
        (10**9, "more than the 600-minute limit"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
        (float("-inf"), "must be a number"),
        (True, "must be a number"),
        (False, "must be a number"),
        ("10", "must be a number"),
        (None, "must be a number"),
        ([10], "must be a number"),
    ],
)
def test_require_minutes_refuses(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        require_minutes(value)  # type: ignore[arg-type]


def test_require_minutes_custom_field_and_maximum() -> None:
    assert require_minutes(240, "Proposal minutes", maximum=240) == 240
    with pytest.raises(ValidationError, match="Proposal minutes is 241 minutes"):
        require_minutes(241, "Proposal minutes", maximum=240)


# --------------------------------------------------------------------------- timezones


@pytest.mark.parametrize("name", ["UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Kolkata"])
def test_require_timezone_accepts_iana_names(name: str) -> None:
    assert require_timezone(name) == name


@pytest.mark.parametrize(
    "name", ["", "Mars/Olympus_Mons", "Europe/Atlantis", "../../etc/passwd", "+25:00"]
)
def test_require_timezone_refuses_unknown_names(name: str) -> None:
    with pytest.raises(ValidationError, match=r"Unknown timezone.*IANA name"):
        require_timezone(name)


def test_as_utc_refuses_naive_and_converts_aware() -> None:
    with pytest.raises(ValidationError, match="without a timezone"):
        as_utc(pendulum.naive(2026, 11, 22, 9, 0))
    local = pendulum.datetime(2026, 11, 22, 10, 0, tz="Europe/Amsterdam")
    utc = as_utc(local)
    assert utc.timezone_name == "UTC"
    assert utc.hour == 9
    assert utc == local


# --------------------------------------------------------------------------- parse_date

TODAY = pendulum.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2026-12-15", TODAY, pendulum.date(2026, 12, 15)),
        ("  2027-01-31 ", TODAY, pendulum.date(2027, 1, 31)),
        ("2028-02-29", TODAY, pendulum.date(2028, 2, 29)),
        ("today", TODAY, TODAY),
        ("Today", TODAY, TODAY),
        ("TOMORROW", TODAY, pendulum.date(2026, 11, 23)),
        ("tomorrow", pendulum.date(2026, 12, 31), pendulum.date(2027, 1, 1)),
        ("in 1 day", TODAY, pendulum.date(2026, 11, 23)),
        ("in 10 days", TODAY, pendulum.date(2026, 12, 2)),
        ("in 2 weeks", TODAY, pendulum.date(2026, 12, 6)),
        ("In  2  Weeks", TODAY, pendulum.date(2026, 12, 6)),
        ("in 1 week", pendulum.date(2026, 12, 28), pendulum.date(2027, 1, 4)),
        ("in 0 days", TODAY, TODAY),
        ("in 3 months", TODAY, pendulum.date(2027, 2, 22)),
        ("in 1 year", pendulum.date(2028, 2, 29), pendulum.date(2029, 2, 28)),
        # Month ends clamp to the last day of the shorter month.
        ("in 1 month", pendulum.date(2026, 1, 31), pendulum.date(2026, 2, 28)),
        ("in 1 month", pendulum.date(2028, 1, 31), pendulum.date(2028, 2, 29)),
        ("in 1 month", pendulum.date(2026, 3, 31), pendulum.date(2026, 4, 30)),
        ("in 1 month", pendulum.date(2026, 12, 31), pendulum.date(2027, 1, 31)),
        ("in 2 months", pendulum.date(2026, 12, 31), pendulum.date(2027, 2, 28)),
        ("in 1 month", pendulum.date(2026, 2, 28), pendulum.date(2026, 3, 28)),
    ],
)
def test_parse_date_accepts(text: str, today: pendulum.Date, expected: pendulum.Date) -> None:
    result = parse_date(text, today=today)
    assert result == expected
    assert isinstance(result, pendulum.Date)
    assert not isinstance(result, pendulum.DateTime)


@pytest.mark.parametrize(
    "text",
    [
        "next tuesday",
        "yesterday",
        "2026-2-3",
        "2026-02-28T25:00",
        "15/12/2026",
        "in two weeks",
        "in 2 fortnights",
        "in 1000 days",
        "in -2 days",
        "2 weeks",
        "P1D",
        "soon\x1b]52;c;cm0gLXJmIH4K\x07",
        "[bold]2026-12-15[/]",
    ],
)
def test_parse_date_refuses_garbage_with_a_helpful_message(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, today=TODAY)
    message = str(info.value)
    assert "YYYY-MM-DD" in message
    assert "in 2 weeks" in message
    assert "\x1b" not in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a real date: February 2026 has 28 days."),
        ("2026-02-29", "2026-02-29 is not a real date: February 2026 has 28 days."),
        ("2028-02-30", "2028-02-30 is not a real date: February 2028 has 29 days."),
        (" 2026-04-31 ", "2026-04-31 is not a real date: April 2026 has 30 days."),
        ("2026-12-32", "2026-12-32 is not a real date: December 2026 has 31 days."),
        ("2026-13-01", "2026-13-01 is not a real date: months run from 01 to 12."),
        ("2026-00-10", "2026-00-10 is not a real date: months run from 01 to 12."),
        ("2026-02-00", "2026-02-00 is not a real date: days start at 01."),
        ("0000-01-01", "0000-01-01 is not a real date: years start at 0001."),
        ("20260230", "20260230 is not a real date: February 2026 has 28 days."),
        ("2026-02-30T10:00", "2026-02-30 is not a real date: February 2026 has 28 days."),
        ("2026-02-30 10:00", "2026-02-30 is not a real date: February 2026 has 28 days."),
    ],
)
def test_parse_date_names_what_is_impossible_in_a_well_formed_date(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, today=TODAY)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text", ["2026-12-15", "2028-02-29", "someday", "2026-2-30", "x2026-02-30"]
)
def test_impossible_date_is_none_for_real_or_unreadable_dates(text: str) -> None:
    assert impossible_date(text) is None


@pytest.mark.parametrize("text", ["", "   ", "\x1b[2J"])
def test_parse_date_refuses_empty(text: str) -> None:
    with pytest.raises(ValidationError, match="Date is empty"):
        parse_date(text, today=TODAY)


def test_parse_date_refuses_a_time_without_a_date() -> None:
    with pytest.raises(ValidationError, match="not a calendar date"):
        parse_date("10:30", today=TODAY)


@pytest.mark.parametrize("raw", HOSTILE_STRINGS)
def test_parse_date_hostile_strings_only_raise_validation_error(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_date(raw, today=TODAY)


def test_parse_date_now_never_reads_the_system_clock() -> None:
    long_ago = pendulum.date(2001, 1, 1)
    try:
        result = parse_date("now", today=long_ago)
    except ValidationError:
        return
    assert result == long_ago


def test_parse_date_accepts_iso_datetime_with_t_separator() -> None:
    assert parse_date("2026-12-15T10:00", today=TODAY) == pendulum.date(2026, 12, 15)


def test_parse_date_accepts_iso_datetime_with_space_separator() -> None:
    assert parse_date("2026-12-15 10:00", today=TODAY) == pendulum.date(2026, 12, 15)


# --------------------------------------------------------------------------- new_id


@pytest.mark.parametrize("prefix", ["mtg", "itm", "act", "org"])
def test_new_id_has_prefix_and_twelve_hex_digits(prefix: str) -> None:
    value = new_id(prefix)
    assert re.fullmatch(rf"{prefix}-[0-9a-f]{{12}}", value)


def test_new_id_is_unique() -> None:
    ids = {new_id("mtg") for _ in range(5000)}
    assert len(ids) == 5000


def test_counted_uses_the_singular_only_for_one() -> None:
    from facilitate.domain.common import counted

    assert counted(1, "decision") == "1 decision"
    assert counted(0, "decision") == "0 decisions"
    assert counted(2, "action") == "2 actions"
    assert counted(3, "person", "people") == "3 people"
    assert counted(1, "person", "people") == "1 person"
