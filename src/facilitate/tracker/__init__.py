"""Between meetings: roster edits and import/export, the action tracker, search and trends.

No Textual here: the screens and the CLI both call these services. The entry points that load
data (and that benchmarks can time) are:

- ``load_tracker(ws, now)``: every action item, ready to filter in memory;
- ``search(ws, query, include_confidential)``: read once and search;
- ``load_history(ws)``: per-meeting summaries, trends and the search index.
"""

from __future__ import annotations

from .actions import ActionFilter, ActionRow, TrackerData, load_tracker
from .history import HistoryData, load_history
from .loading import WorkspaceView, load_view
from .search import SearchHit, SearchIndex, load_search_index, search

__all__ = [
    "ActionFilter",
    "ActionRow",
    "HistoryData",
    "SearchHit",
    "SearchIndex",
    "TrackerData",
    "WorkspaceView",
    "load_history",
    "load_search_index",
    "load_tracker",
    "load_view",
    "search",
]
