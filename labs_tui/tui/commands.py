"""The command palette (ctrl+p): jump to an endpoint, switch profile, copy, export, compare, history, theme.

Hits call the same actions the keys do; the provider holds no state of its own. Endpoint names
come from the spec, so they are shown literally (never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from labs_tui.tui.text import inert_line, literal

if TYPE_CHECKING:
    from labs_tui.tui.app import LabsApp
    from labs_tui.tui.screens.main import MainScreen

MAX_ENDPOINT_HITS = 200


def _collection() -> Any:
    from labs_tui.tui.screens import collection

    return collection


class LabsCommands(Provider):
    def _main(self) -> MainScreen | None:
        from labs_tui.tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _actions(self) -> list[tuple[str, Callable[[], object], str]]:
        app: LabsApp = self.app  # type: ignore[assignment]
        main = self._main()
        actions: list[tuple[str, Callable[[], object], str]] = [
            ("Profile: sandbox", partial(app.switch_profile, "sandbox"), "embedded sandbox, token preset"),
            ("Profile: live", partial(app.switch_profile, "live"), "api.astronomer.io with ASTRO_API_TOKEN"),
            ("Profile: custom base URL...", app.prompt_custom_profile, "send requests to a URL you type"),
        ]
        if main is not None:
            actions += [
                ("Send request", main.action_send, "ctrl+j"),
                ("Copy requestId", partial(main.action_copy, "request_id"), "of the last response"),
                ("Copy support report", partial(main.action_copy, "support_report"), "markdown, no token"),
                ("Export request as curl", partial(main.action_copy, "curl"), "token as $ASTRO_API_TOKEN"),
                ("Export request as HTTPie", partial(main.action_copy, "httpie"), "token: $ASTRO_API_TOKEN"),
                ("Compare versions", main.action_compare, "ctrl+t: the request under several pins"),
                ("History", main.action_history, "f2: every call sent; filter by requestId, path, status"),
                ("Save request", partial(_collection().save_current, main), "as a YAML file, no token"),
                ("Open saved request", partial(_collection().open_collection, main), "from the collection"),
                ("Import curl", partial(_collection().prompt_curl, main), "paste a curl command"),
            ]
        from labs_tui.tui.screens import spec_changes

        ask = partial(spec_changes.ask_and_open, app)
        since = partial(spec_changes.open_since_last_looked, app)
        actions.append(("Spec changes", ask, "what changed from another file or URL to the loaded spec"))
        if spec_changes.previous_copy(app.spec) is not None:
            actions.append(("Spec changes since you last looked", since, "the spec URL changed since"))
        for name in app.theme_specs:
            actions.append((f"Theme: {name}", partial(app.set_theme_by_name, name), "saved in the config"))
        return actions

    async def discover(self) -> Hits:
        for name, callback, help_text in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        app: LabsApp = self.app  # type: ignore[assignment]
        main = self._main()
        if app.spec is None or main is None:
            return
        shown = 0
        for operation in app.spec.operations:
            name = f"Open {operation.method} {operation.path}"
            score = matcher.match(f"{name} {operation.operation_id}")
            if score > 0:
                summary = literal(" ".join((operation.summary or operation.operation_id).split())[:120])
                yield Hit(
                    score,
                    literal(name),
                    partial(main.open_operation, operation),
                    text=inert_line(name),
                    help=escape(summary.plain),
                )
                shown += 1
                if shown >= MAX_ENDPOINT_HITS:
                    return
