"""Between meetings: roster edits and import/export, the action tracker, search and trends.

No Textual here: the screens and the CLI both call these services. The entry points that load
data (and that benchmarks can time) are:

- ``load_tracker(ws, now)``: every action item, ready to filter in memory;
- ``search.search(ws, query, include_confidential)``: read once and search (the function is
  reached through its module: the package attribute ``search`` is the submodule);
- ``load_history(ws)``: per-meeting summaries, trends and the search index.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import ActionFilter, ActionRow, TrackerData, load_tracker
    from .history import HistoryData, load_history
    from .loading import WorkspaceView, load_view
    from .search import SearchHit, SearchIndex, load_search_index

# Imported on first use, so that `facilitate` (which registers the tracker's CLI commands at
# start-up) does not load the tracker, history and search modules until they are needed.
_WHERE = {
    "ActionFilter": "actions",
    "ActionRow": "actions",
    "TrackerData": "actions",
    "load_tracker": "actions",
    "HistoryData": "history",
    "load_history": "history",
    "WorkspaceView": "loading",
    "load_view": "loading",
    "SearchHit": "search",
    "SearchIndex": "search",
    "load_search_index": "search",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


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
]
