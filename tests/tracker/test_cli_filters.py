"""Name filters ignore case and accents, search matches words, CSV has a BOM, files are uncut."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.tracker.search import HitKind, SearchDoc, SearchIndex, fold, word_match


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    root = str(tmp_path / "ws")
    assert run(capsys, "--data", root, "init", "--sample")[0] == 0
    return root


def test_owner_filter_ignores_case_and_accents(data: str, capsys) -> None:
    code, out, err = run(capsys, "--data", data, "actions", "--all", "--owner", "sofia")
    assert code == 0, err
    assert "Sofía Ramírez" in out and "action(s)" in out
    code, out2, _ = run(capsys, "--data", data, "actions", "--all", "--owner", "SOFÍA RAMIREZ")
    assert out2 == out


def test_no_match_lists_the_closest_names(data: str, capsys) -> None:
    code, _, err = run(capsys, "--data", data, "actions", "--owner", "Sofie Ramires")
    assert code == 2
    assert "Closest: Sofía Ramírez" in err and len(err.strip().splitlines()) == 1
    # A name late in the roster is found as well (the old list stopped after 12 names).
    code, _, err = run(capsys, "--data", data, "actions", "--owner", "Zoe Lindqvst")
    assert "Zoë Lindqvist" in err


def test_search_matches_whole_words_and_prefixes(data: str, capsys) -> None:
    assert word_match("motel", fold("two men are in motel rooms"))
    assert word_match("motel", fold("Motels on Route 9"))
    assert not word_match("motel", fold("join remotely from a private space"))
    code, out, _ = run(capsys, "--data", data, "search", "motel", "--include-confidential")
    assert code == 0 and "motel rooms" in out
    code, out, _ = run(capsys, "--data", data, "search", "motely")
    assert "remotely" not in out


def test_search_index_does_not_match_inside_words() -> None:
    import pendulum

    doc = SearchDoc(
        meeting_id="m",
        meeting_title="t",
        day=pendulum.date(2026, 1, 1),
        kind=next(iter(HitKind)),
        record_id="r",
        text="Remote participants joined remotely.",
        confidential=False,
        flat="Remote participants joined remotely.",
        folded=fold("Remote participants joined remotely."),
    )
    index = SearchIndex([doc])
    assert index.search("motel") == []
    assert len(index.search("remote")) == 1


def test_actions_csv_starts_with_a_bom(data: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "actions.csv"
    code, _, err = run(capsys, "--data", data, "actions", "--all", "-f", "csv", "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Sofía" in raw.decode("utf-8-sig")


def test_a_table_written_to_a_file_is_never_cut(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the terminal's width, whatever runs the tests
    target = tmp_path / "actions.txt"
    code, _, err = run(capsys, "--data", data, "actions", "--all", "-o", str(target))
    assert code == 0, err
    text = target.read_text("utf-8")
    assert "…" not in text
    code, shown, _ = run(capsys, "--data", data, "actions", "--all")
    assert "…" in shown  # on the terminal long cells are still cut to fit
