"""Search across meetings: what is found, and what stays hidden until unlocked."""

from __future__ import annotations

from facilitate.domain.meeting import AgendaItem
from facilitate.tracker.history import load_history
from facilitate.tracker.search import (
    HitKind,
    fold,
    load_search_index,
    parse_query,
    search,
    snippet,
)


def test_finds_a_decision_from_a_past_meeting(sample):
    hits = search(sample, "referral flowchart")
    decisions = [h for h in hits if h.doc.kind is HitKind.DECISION]
    assert [h.doc.record_id for h in decisions] == ["dec-2026-11-02"]
    assert decisions[0].doc.meeting_id == "mtg-2026-11"
    assert "flowchart" in decisions[0].snippet.lower()
    kinds = {h.doc.kind for h in hits}
    assert {HitKind.DECISION, HitKind.ACTION, HitKind.NOTES} <= kinds


def test_agenda_titles_actions_and_report_backs_are_searched(sample):
    titles = search(sample, "information-sharing annex")
    assert any(h.doc.kind is HitKind.AGENDA and h.doc.meeting_id == "mtg-2026-12" for h in titles)
    report_back = search(sample, "pocket cards")  # in an action's report-back note
    assert [h.doc.record_id for h in report_back] == ["act-2026-10-02"]


def test_confidential_text_needs_include_confidential(sample):
    assert search(sample, "HV-2611") == []
    assert search(sample, "HV-2598") == []
    hits = search(sample, "HV-2611", include_confidential=True)
    assert {(h.doc.kind, h.doc.record_id) for h in hits} == {
        (HitKind.NOTES, "itm-2026-11-07"),
        (HitKind.DECISION, "dec-2026-11-03"),
        (HitKind.ACTION, "act-2026-11-02"),
    }
    assert all(h.doc.confidential for h in hits)
    # The confidential item's title itself is not secret (it is in the redacted minutes).
    titles = search(sample, "case review")
    assert any(h.doc.kind is HitKind.AGENDA for h in titles)
    assert not any(h.doc.confidential for h in titles)


def test_case_accents_and_phrases(sample):
    assert search(sample, "SOFIA") == search(sample, "sofía")
    assert search(sample, "sofia")
    every_word = search(sample, "flowchart hotline")
    assert every_word and all(
        "flowchart" in fold(h.doc.text) and "hotline" in fold(h.doc.text) for h in every_word
    )
    phrase = search(sample, '"version 3 becomes"')
    assert [h.doc.record_id for h in phrase] == ["dec-2026-11-02"]
    assert search(sample, '"becomes version 3"') == []
    assert search(sample, "   ") == []
    assert parse_query('a "b c"  D') == ["a", "b c", "d"]


def test_results_newest_meeting_first(sample):
    hits = search(sample, "monthly")
    days = [h.doc.day for h in hits]
    assert days == sorted(days, reverse=True)


def test_item_under_a_missing_agenda_item_is_treated_as_confidential(sample):
    with sample.transaction() as tx:
        item = tx.get(AgendaItem, "itm-2026-11-04", "mtg-2026-11")
        tx.delete(item)
    hits = search(sample, "referral flowchart")
    assert "dec-2026-11-02" not in [h.doc.record_id for h in hits]
    hits = search(sample, "referral flowchart", include_confidential=True)
    assert "dec-2026-11-02" in [h.doc.record_id for h in hits]


def test_snippet_centres_on_the_match():
    text = "word " * 40 + "needle here " + "tail " * 40
    flat = " ".join(text.split())
    out = snippet(flat, "needle", 60)
    assert "needle" in out and len(out) == 60
    assert out.startswith("…") and out.endswith("…")
    assert snippet("short text", "x", 60) == "short text"


def test_index_is_built_once_and_searched_in_memory(sample):
    index = load_search_index(sample)
    assert index.confidential_count > 0
    history = load_history(sample)
    assert len(history.index.docs) == len(index.docs)
    assert [s.meeting_id for s in history.summaries] == [
        "mtg-2026-10",
        "mtg-2026-11",
        "mtg-2026-12",
    ]
    held = [s for s in history.summaries if s.held]
    assert [s.decisions for s in held] == [3, 5]
    assert history.trends.window == 2


def test_history_builds_its_search_index_on_first_use(sample, monkeypatch):
    import facilitate.tracker.history as history_module

    built: list[int] = []
    real = history_module.build_index

    def counting(view):
        built.append(1)
        return real(view)

    monkeypatch.setattr(history_module, "build_index", counting)
    history = load_history(sample)
    assert built == []
    assert history.has_confidential  # answered without the index
    assert built == []
    assert history.index.search("HV-2611", include_confidential=True)
    assert history.index is history.index and built == [1]
    assert history.has_confidential


def test_has_confidential_agrees_with_the_index(sample):
    from facilitate.tracker.loading import load_view
    from facilitate.tracker.search import build_index, has_confidential

    view = load_view(sample)
    assert has_confidential(view) is (build_index(view).confidential_count > 0) is True
    # Without confidential text (items made public, or their notes only whitespace and
    # control characters), there is nothing to leave out.
    for bundle in view.bundles:
        for item in bundle.items:
            if item.confidential:
                item.notes = " \x1b[2J\n\t "
    assert has_confidential(view) is (build_index(view).confidential_count > 0)
    for bundle in view.bundles:
        for item in bundle.items:
            item.confidential = False
            item.notes = item.notes or ""
    assert has_confidential(view) is (build_index(view).confidential_count > 0) is False
