"""Meeting history: one summary per meeting, the trends across them, and the search index.

``load_history`` reads the workspace once (``loading.load_view``) and derives everything the
history screen shows from that single read (the search index when first used).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.trends import MeetingSummary, Trends, compute_trends, summarize_meeting
from ..storage.workspace import Workspace
from .loading import WorkspaceView, load_view
from .search import SearchIndex, build_index, has_confidential


@dataclass
class HistoryData:
    view: WorkspaceView
    summaries: list[MeetingSummary]  # every meeting, oldest first
    trends: Trends
    _index: SearchIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> SearchIndex:
        """The search index, built on first use: flattening and folding ten years of notes
        was a third of what opening the history screen cost, and the screen shows its
        meetings and trends before anyone searches (it builds this right after)."""
        if self._index is None:
            self._index = build_index(self.view)
        return self._index

    @property
    def has_confidential(self) -> bool:
        """Whether searching leaves confidential notes out while locked (without building
        the index if it is not built yet)."""
        if self._index is not None:
            return self._index.confidential_count > 0
        return has_confidential(self.view)

    @property
    def problems(self) -> list[str]:
        return self.view.problems

    def summary(self, meeting_id: str) -> MeetingSummary | None:
        return next((s for s in self.summaries if s.meeting_id == meeting_id), None)


def summaries_of(view: WorkspaceView) -> list[MeetingSummary]:
    return [
        summarize_meeting(
            b.meeting, b.items, b.attendance, b.decisions, b.actions, b.feedback, b.turns
        )
        for b in view.bundles
    ]


def history_from_view(view: WorkspaceView) -> HistoryData:
    summaries = summaries_of(view)
    return HistoryData(
        view=view,
        summaries=summaries,
        trends=compute_trends(summaries, view.roster.organizations),
    )


def load_history(ws: Workspace) -> HistoryData:
    """Everything the history screen needs, from one read of the workspace."""
    return history_from_view(load_view(ws))
