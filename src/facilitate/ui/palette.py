"""The command palette finds a command by the words a facilitator would use.

Textual's system-command search matches the query against the command's name alone, so
"vote", "guest", "minutes" or "quorum" found nothing. Here a command also matches when every
word of the query begins a word of its description or of its synonyms (a short list per
command label below), as well as by the name as before.
"""

from __future__ import annotations

import re

from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

# By the label the palette shows (before " (key)"). Words people reach for that the
# description does not use.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Decision": ("vote", "motion", "resolution", "consensus", "quorum", "agreed"),
    "Action": ("task", "to-do", "todo", "follow-up", "owner", "assign"),
    "Roll call": (
        "attendance",
        "present",
        "quorum",
        "guest",
        "walk-in",
        "visitor",
        "left early",
        "confidential",
        "step out",
    ),
    "Guest": ("walk-in", "visitor", "observer"),
    "Intro": ("introduced", "introductions"),
    "Left early": ("leave", "gone", "quorum"),
    "Close": ("minutes", "export", "end", "finish", "feedback", "next meeting"),
    "End meeting": ("finish", "close", "minutes"),
    "Markdown": ("minutes", "export", "md"),
    "HTML": ("minutes", "export", "web"),
    "Word": ("minutes", "export", "docx"),
    "Feedback": ("rating", "evaluation", "survey"),
    "Next date": ("schedule", "next meeting", "calendar"),
    "Re-plan": ("end on time", "timer", "behind", "overrun", "schedule", "agenda", "late"),
    "Pause": ("timer", "stop", "clock", "break", "resume"),
    "Next": ("agenda", "item", "skip", "timer"),
    "Back": ("agenda", "previous", "item"),
    "Go to": ("agenda", "item", "revisit", "jump"),
    "Pin": ("agenda", "keep", "re-plan"),
    "Agenda": ("items", "list"),
    "Training": ("snippet", "lesson", "learning"),
    "Notes": ("minutes", "write", "type"),
    "Unlock": ("confidential", "case", "secret", "show"),
    "Start/resume": ("meeting", "begin", "open"),
    "Orgs": ("roster", "members", "organizations", "mou", "agencies"),
    "Actions": ("tracker", "tasks", "to-do", "overdue"),
    "History": ("past", "search", "minutes", "trends", "archive"),
    "Help": ("keys", "shortcuts", "how"),
}

_WORD = re.compile(r"[\w'-]+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def words_match(query: str, label: str, description: str) -> bool:
    """Every word of the query begins a word of the description, the label or a synonym
    (a synonym of several words matches the same words in order)."""
    wanted = _words(query)
    if not wanted:
        return False
    synonyms = SYNONYMS.get(label, ())
    phrase = " ".join(wanted)
    if any(s.startswith(phrase) or phrase == s for s in synonyms):
        return True
    have = _words(f"{label} {description} {' '.join(synonyms)}")
    return all(any(h.startswith(w) for h in have) for w in wanted)


class WordsCommandsProvider(SystemCommandsProvider):
    """The system commands, found by name (as Textual does) or by description and synonyms."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            label = name.rsplit(" (", 1)[0] if name.endswith(")") else name
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
            elif words_match(query, label, help_text):
                # Below a match by name: the command named so comes first.
                yield Hit(0.5, name, callback, help=help_text)
