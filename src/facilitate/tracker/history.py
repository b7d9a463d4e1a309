"""Meeting history: one summary per meeting, the trends across them, and the search index.

``load_history`` reads the workspace once (``loading.load_view``) and derives everything the
history screen shows from that single read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.trends import MeetingSummary, Trends, compute_trends, summarize_meeting
from ..storage.workspace import Workspace
from .loading import WorkspaceView, load_view
from .search import SearchIndex, build_index


@dataclass
class HistoryData:
    view: WorkspaceView
    summaries: list[MeetingSummary]  # every meeting, oldest first
    trends: Trends
    index: SearchIndex

    @property
    def problems(self) -> list[str]:
        return self.view.problems

    def summary(self, meeting_id: str) -> MeetingSummary | None:
        return next((s for s in self.summaries if s.meeting_id == meeting_id), None)


def summaries_of(view: WorkspaceView) -> list[MeetingSummary]:
    return [
        summarize_meeting(b.meeting, b.items, b.attendance, b.decisions, b.actions, b.feedback)
        for b in view.bundles
    ]


def history_from_view(view: WorkspaceView) -> HistoryData:
    summaries = summaries_of(view)
    return HistoryData(
        view=view,
        summaries=summaries,
        trends=compute_trends(summaries, view.roster.organizations),
        index=build_index(view),
    )


def load_history(ws: Workspace) -> HistoryData:
    """Everything the history screen needs, from one read of the workspace."""
    return history_from_view(load_view(ws))
