"""Screens shown more than once and kept between showings (installed with the app, so
Textual does not remove them when they close): see ``MeetingScreen._push_kept``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.screen import Screen

    _Screen = Screen[Any]  # (what it is mixed into, for the type checker)
else:
    # A plain mixin, not a Screen: Textual inherits DEFAULT_CSS (and the CSS type names
    # rules match) through each class's first DOMNode base only, so a Screen here would hide
    # ModalScreen's dimmed background from KeptDialog(KeptScreen, ModalScreen).
    _Screen = object


class KeptScreen(_Screen):
    """Mixed into a screen (before its Screen base) that is shown more than once: the meeting
    screen keeps its forms, the case reminder and the round screen for the next use (see
    ``MeetingScreen._push_kept``), and any form comes back from under a dialog opened on top
    of it.

    Textual restyles every widget of a screen each time it is shown (the first time too,
    right after styling them as they were mounted), in case the app's styles changed while
    it was away: ~6 ms of a form's ~18 ms to open again. Here that is done only when they
    did change (another stylesheet or theme, the app's classes or focus); the widgets' own
    states (focus, values) restyle them as they change anyway."""

    _styled_rules: object = None
    _styled_for: tuple[object, ...] = ()
    _lay_out_ahead = False

    def _style_state(self) -> tuple[object, tuple[object, ...]]:
        app = self.app
        return app.stylesheet.rules, (
            app.theme,
            app.ansi_color,
            frozenset(app.classes),
            app.app_focus,
        )

    def build_ahead(self) -> None:
        """Registered with the app but not shown (see MeetingScreen._prebuild): once its
        widgets are mounted, lay it out too, while hidden. Textual lays a screen out twice
        at its first showing (the first layout sets each widget's scrollable size, which
        asks for another, and that one waits for the next refresh slot): ~25 ms more than
        showing it again."""
        self._lay_out_ahead = True

    def _hidden_layout(self, last: bool) -> None:
        if not self._lay_out_ahead or self in self.app.screen_stack:
            return  # (shown meanwhile, or now: Textual has laid it out)
        self._refresh_layout(self.app.size)
        if last:  # the sizes have settled: nothing is left to lay out at its showing
            self._layout_required = False
            # And its refresh timer takes its first step now: a new one waits a whole
            # interval (1/60 s) before its first tick, so the first frame would wait too.
            self._update_timer.resume()
        else:
            self.set_timer(0.05, lambda: self._hidden_layout(last=True))

    def _on_mount(self, event: events.Mount) -> None:
        # Its widgets were styled as they were mounted, just now: the first showing need
        # not do it again either (a dialog built ahead of use, see MeetingScreen._prebuild,
        # is shown later; if the styles changed by then, it is restyled). (Textual calls
        # Screen's own _on_mount too.)
        self._styled_rules, self._styled_for = self._style_state()
        if self._lay_out_ahead:
            self.set_timer(0.05, lambda: self._hidden_layout(last=False))

    async def _on_resize(self, event: events.Resize) -> None:
        # (Textual calls this before Screen's own handler.) Laying a screen out for the first
        # time (or at a new size) sends it a Resize to the size it has just been laid out at,
        # and Screen's handler then lays it and the screens behind it out again and draws it
        # all a second time. A Resize to another size (the terminal's) goes on to that
        # handler.
        if event.size == self._size:
            event.stop()
            event.prevent_default()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # (Textual calls this before Screen's own handler, which reads refresh_styles.)
        self._lay_out_ahead = False  # (shown: laid out, if it was not already)
        rules, key = self._style_state()
        if rules is self._styled_rules and key == self._styled_for:
            event.refresh_styles = False
        self._styled_rules, self._styled_for = rules, key
