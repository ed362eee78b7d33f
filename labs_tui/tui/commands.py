"""The command palette (ctrl+p): jump to an endpoint, switch profile, copy, export, compare, history, theme.

Hits call the same actions the keys do; the provider holds no state of its own. Endpoint names
come from the spec, so they are shown literally (never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from labs_tui.spec import FilterIndex, search_key
from labs_tui.tui.text import inert_line, literal

if TYPE_CHECKING:
    from labs_tui.spec import Operation, Spec
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
        actions += self._target_actions(app)
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

    @staticmethod
    def _target_actions(app: LabsApp) -> list[tuple[str, Callable[[], object], str]]:
        """Where requests go: the picker, each spec server and config profile, the stateful sandbox."""
        from labs_tui.tui.screens.target import BUILTIN_PROFILES, spec_servers

        actions: list[tuple[str, Callable[[], object], str]] = [
            ("Target: choose where requests go...", app.action_pick_target, "f4, or click the header"),
        ]
        # Names are parsed as markup by the palette: text from the spec or the config is escaped.
        for url in spec_servers(app.spec):
            label = f"Target: server {escape(inert_line(url))}"
            actions.append((label, partial(app.switch_target, "server", url), "a server the spec lists"))
        entries = (app.config.profiles_mapping() if app.config is not None else {}).get("profiles") or {}
        for name in sorted(str(k) for k in entries if k not in BUILTIN_PROFILES):
            label = f"Target: profile {escape(inert_line(name))}"
            actions.append((label, partial(app.switch_target, "profile", name), "from the config file"))
        if app.stateful_available:
            on = not app.sandbox_stateful
            label = "Sandbox: stateful on (restart)" if on else "Sandbox: stateful off (restart)"
            note = "POST creates, GET reads back, DELETE removes" if on else "back to generated answers"
            actions.append((label, partial(app.set_stateful, on), note))
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
        hits = endpoint_hits(app.spec)
        for rank, index in enumerate(hits.matches(query, MAX_ENDPOINT_HITS)):
            operation = hits.operations[index]
            # The core filter's order (the endpoint list's), as scores below a perfect action match.
            score = ENDPOINT_TOP_SCORE * (1 - rank / (MAX_ENDPOINT_HITS + 1))
            label, text, help_text = hits.shown(index)
            yield Hit(score, label, partial(main.open_operation, operation), text=text, help=help_text)


ENDPOINT_TOP_SCORE = 0.9  # the best endpoint hit; the rest follow in the filter's order


class EndpointHits:
    """The palette's endpoint entries for one spec, built once: names, labels, help, a filter index.

    The palette's provider is made anew on every ctrl+p, so what costs per operation lives here,
    cached per spec (``endpoint_hits``). Matching is the core's endpoint filter (``FilterIndex``,
    the one the list and ``labs-tui endpoints`` use) over ``open`` plus each operation's search key,
    so a keystroke is one pass over precomputed keys (narrowed from the previous one while typing) and
    the hits come best first as the filter ranks them; Textual's slower fuzzy scorer is not run on them.
    """

    def __init__(self, operations: Sequence[Operation]) -> None:
        self.operations = tuple(operations)
        self.names = [f"Open {operation.method} {operation.path}" for operation in self.operations]
        self.keys = [f"open {search_key(operation)}" for operation in self.operations]
        self._shown: dict[int, tuple[Text, str, str]] = {}  # index -> label, text, help; when first shown
        self._positions = {id(operation): index for index, operation in enumerate(self.operations)}
        self._index = FilterIndex(self.operations, keys=self.keys)

    def shown(self, index: int) -> tuple[Text, str, str]:
        """The hit's label (literal), its plain text and its help (the summary, escaped for markup)."""
        entry = self._shown.get(index)
        if entry is None:
            operation, name = self.operations[index], self.names[index]
            summary = inert_line(" ".join((operation.summary or operation.operation_id).split())[:120])
            entry = self._shown[index] = (literal(name), inert_line(name), escape(summary))
        return entry

    def matches(self, query: str, limit: int) -> list[int]:
        """Indexes of the operations matching ``query``, best first, at most ``limit``."""
        if not query.strip():
            return []
        found = self._index.filter(query)
        return [self._positions[id(operation)] for operation in found[:limit]]


_cached: tuple[Spec, EndpointHits] | None = None


def endpoint_hits(spec: Spec) -> EndpointHits:
    """The endpoint entries of ``spec``, built on the first ctrl+p after it loaded."""
    global _cached
    if _cached is None or _cached[0] is not spec:
        _cached = (spec, EndpointHits(spec.operations))
    return _cached[1]
