"""Where sends go: profiles, the embedded sandbox (started for the loaded spec), the target picker.

Every target goes through ``switch_profile``, whose profile rules (the core's) decide which token a
target gets; nothing here decides about tokens itself.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from textual import on, work

from labs_tui.tui.app.state import AppState
from labs_tui.tui.app.support import one_line
from labs_tui.tui.messages import (
    SandboxFailed,
    SandboxStarted,
)
from labs_tui.tui.widgets.header.bar import HeaderBar

if TYPE_CHECKING:
    from labs_tui.spec import Spec


class TargetsPart(AppState):
    """Profiles, the sandbox and targets: that half of ``LabsApp``."""

    # -- profile and sandbox ---------------------------------------------------------------------

    def switch_profile(self, name: str | None, base_url: str | None = None) -> None:
        """Resolve ``name`` (None: the config's default); start the sandbox for it, or ask for a token."""
        from labs_tui.client import resolve_profile

        config: dict[str, Any] = self.config.profiles_mapping() if self.config is not None else {}
        if name == "custom" and base_url:  # a one-off profile for a URL typed in the palette
            config = {**config, "profiles": {**config.get("profiles", {}), name: {"base_url": base_url}}}
        try:
            profile = resolve_profile(
                name, base_url=base_url, config=config, env=self.settings.env, insecure=self.settings.insecure
            )
        except Exception as error:
            self.notify(one_line(error), title=f"profile {name or 'default'}", severity="error")
            return
        if profile.is_sandbox and profile.base_url is None:
            if self.sandbox_url is not None:
                profile = dataclasses.replace(profile, base_url=self.sandbox_url)
            elif self.settings.start_sandbox:
                self.sandbox_error = None
                self.call_after_refresh(self._request_sandbox)  # the first screen does not wait for it
        self.profile = profile
        self._warn_insecure(profile)
        self._warn_plain_http(profile)
        asks = profile.token_env or name == "custom"  # a typed URL gets a token only if one is typed
        if not profile.token and asks and not profile.is_sandbox:
            # A one-off profile (a spec server, a typed URL) is named by its URL, not "custom".
            one_off = profile.name == "custom"
            target = (profile.base_url or "this URL") if one_off else f"profile {profile.name}"

            def got_token(token: str | None) -> None:
                if token and self.profile is not None and self.profile.name == profile.name:
                    self.profile = dataclasses.replace(self.profile, token=token)
                    self._warn_plain_http(self.profile)
                elif not token:
                    self.notify("no token: requests go without Authorization", title=target)

            from labs_tui.tui.screens.dialogs import token_prompt

            self.push_screen(token_prompt(target, profile.token_env, one_off=one_off), got_token)

    def _warn_insecure(self, profile: Any) -> None:
        """A toast when sends now go to https unchecked; the header's marker stays for as long as they do."""
        from labs_tui.client import insecure_warning, tls_unverified

        warning = insecure_warning(profile)
        if warning and tls_unverified(profile):
            self.notify(warning, title="TLS not verified", severity="warning", timeout=10)

    def _warn_plain_http(self, profile: Any) -> None:
        from labs_tui.client import plain_http_warning

        warning = plain_http_warning(profile)
        if warning:
            self.notify(warning, title="token over plain http", severity="warning", timeout=10)

    def prompt_custom_profile(self) -> None:
        from labs_tui.tui.screens.dialogs import PromptScreen

        def got_url(url: str | None) -> None:
            if url:
                self.switch_profile("custom", url)

        self.push_screen(
            PromptScreen(
                "Custom base URL", "Requests go here, e.g. https://host/labs/v1", placeholder="https://"
            ),
            got_url,
        )

    def _request_sandbox(self) -> None:
        """Start the embedded sandbox for the loaded spec; one not loaded yet starts it when it is."""
        if self._sandbox is not None or self.sandbox_url is not None:
            return
        if self.spec is None:
            if self.spec_error is not None:
                self.sandbox_error = "the sandbox has no spec to serve"
            else:
                self._sandbox_wanted = True
            return
        self._start_sandbox(self.spec, self._stateful_asked)

    @work(thread=True, exclusive=True, group="sandbox", exit_on_error=False)
    def _start_sandbox(self, spec: Spec, stateful: bool = False) -> None:
        from labs_tui.sandbox import start

        options: dict[str, Any] = {"spec": spec, "stateful": stateful}
        options.update(self.settings.sandbox_options)
        try:
            handle = start(port=0, **options)
        except Exception as error:
            self.post_message(SandboxFailed(f"the sandbox did not start: {one_line(error)}"))
        else:
            self.post_message(SandboxStarted(handle))

    @on(SandboxStarted)
    def _sandbox_started(self, message: SandboxStarted) -> None:
        if self._sandbox is not None or not self.is_running:
            message.handle.stop()
            return
        self._sandbox = message.handle
        self.sandbox_stateful = message.handle.mode == "spec" and self._stateful_asked
        if self.sandbox_stateful:
            self.notify("the sandbox keeps what POST creates, in memory", title="stateful sandbox")
        self.sandbox_url = str(message.handle.base_url)
        if self.profile is not None and self.profile.is_sandbox and self.profile.base_url is None:
            self.profile = dataclasses.replace(self.profile, base_url=self.sandbox_url)

    @property
    def stateful_available(self) -> bool:
        """The embedded sandbox serves a spec other than Labs' (only that mode keeps state)."""
        return self._sandbox is not None and self._sandbox.mode == "spec"

    def set_stateful(self, on: bool) -> None:
        """Restart the embedded sandbox with (or without) state; sends wait for the new one."""
        if not self.stateful_available or self.spec is None:
            self.notify("only the sandbox serving a spec of its own keeps state", title="sandbox")
            return
        old, self._sandbox = self._sandbox, None
        old_url, self.sandbox_url = self.sandbox_url, None
        self._stateful_asked = on
        self.sandbox_stateful = False
        self.sandbox_error = None
        profile = self.profile
        if profile is not None and profile.is_sandbox and profile.base_url == old_url:
            self.profile = dataclasses.replace(profile, base_url=None)
        self._stop_sandbox(old)
        self._start_sandbox(self.spec, on)

    @work(thread=True, group="sandbox-stop", exit_on_error=False)
    def _stop_sandbox(self, handle: Any) -> None:
        handle.stop()

    # -- targets: where a send goes ----------------------------------------------------------------

    def switch_target(self, kind: str, value: str | None = None) -> None:
        """``sandbox``, ``profile`` NAME, ``server`` URL (from the spec) or ``custom`` (asks for a URL).

        Every kind goes through ``switch_profile``: the core's profile rules decide which token, if
        any, a target gets (a server or a typed URL is a one-off profile, never the live token).
        """
        if kind == "sandbox":
            self.switch_profile("sandbox")
        elif kind == "profile" and value:
            self.switch_profile(value)
        elif kind == "server" and value:
            self.switch_profile("custom", value)
        elif kind == "custom":
            self.prompt_custom_profile()

    def action_pick_target(self) -> None:
        from labs_tui.tui.screens.target import TargetScreen, list_targets

        def picked(choice: tuple[str, str | None] | None) -> None:
            if choice is not None:
                self.switch_target(*choice)

        self.push_screen(TargetScreen(list_targets(self)), picked)  # type: ignore[arg-type]  # self is a LabsApp

    @on(HeaderBar.TargetClicked)
    def _header_clicked(self) -> None:
        self.action_pick_target()

    @property
    def sandbox_starting(self) -> bool:
        """The embedded sandbox was asked for and has neither answered nor failed yet."""
        return self.settings.start_sandbox and self.sandbox_url is None and self.sandbox_error is None

    @on(SandboxFailed)
    def _sandbox_failed(self, message: SandboxFailed) -> None:
        self.sandbox_error = message.error
        self.notify(message.error, title="sandbox", severity="error", timeout=10)
