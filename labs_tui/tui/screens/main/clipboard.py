"""Copy and export: what ``ctrl+y``, ``ctrl+r``, the error panel's buttons and the palette's exports copy.

The requestId and the support report come from the answer on screen, curl and HTTPie commands from
the request the builder would send; all of it inert text (the clipboard gets no raw control either),
the token left out of the report. The core writes the report and the commands; this picks and routes.
"""

from __future__ import annotations

from labs_tui.tui.screens.main.state import MainState

COPY_TITLES = {
    "request_id": "requestId",
    "support_report": "Support report",
    "curl": "curl command",
    "httpie": "HTTPie command",
}


class ClipboardPart(MainState):
    """The copy and export part of ``MainScreen``."""

    def action_copy(self, kind: str) -> None:
        text = self.copy_text(kind)
        if text is None:
            return
        self.app.copy_to_clipboard(text)
        title = COPY_TITLES.get(kind, kind)
        if kind == "request_id":
            self.notify(text, title="copied requestId")
        else:
            from labs_tui.tui.screens.dialogs import TextScreen

            self.app.push_screen(
                TextScreen(f"Copied: {title}", text, "Also on the clipboard if your terminal allows it.")
            )

    def copy_text(self, kind: str) -> str | None:
        """What ``ctrl+y``, ``ctrl+r`` and the exports copy (inert), or None when there is nothing yet."""
        from labs_tui.client import support_report
        from labs_tui.tui.text import inert, inert_line

        last = self._last
        if kind == "request_id":
            if last is None or not last[1].request_id:
                self.notify("no requestId: nothing sent yet, or none in the response", severity="warning")
                return None
            return inert_line(last[1].request_id)  # the clipboard (OSC 52) gets no raw control either
        if kind == "support_report":
            if last is None:
                self.notify("send a request first", severity="warning")
                return None
            profile = self.labs.profile
            secrets = [profile.token] if profile and profile.token else []
            spec = self.labs.spec
            return support_report(
                last[0],
                last[1],
                now=self.labs.settings.clock(),
                secrets=secrets,
                api=spec.title if spec is not None else "",
                versions=spec is None or spec.declares_version_header(),
            )
        if kind in ("curl", "httpie"):
            from labs_tui.client import to_curl, to_httpie

            draft = self.request.collect()
            if isinstance(draft, list):
                self.notify("; ".join(draft), title="not exported", severity="warning")
                return None
            request = self._build(draft)
            if isinstance(request, str):
                self.notify(request, title="not exported", severity="warning")
                return None
            profile = self.labs.profile
            assert profile is not None
            export = to_curl if kind == "curl" else to_httpie
            return inert(str(export(request, profile)))
        return None
