"""The ``labs-tui`` front door: the TUI by default, and one subcommand per scripted job.

Subcommands are imported only when invoked, so ``labs-tui --help`` and the TUI start stay fast.
Each lives in its own module here and renders results of the core; none decides anything itself.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import IO, Any

import click

from labs_tui import __version__
from labs_tui.cli.options import network_options

# name -> ("module:attribute", one-line summary); each module owns its command's flags and --help.
_COMMANDS: dict[str, tuple[str, str]] = {
    "endpoints": ("labs_tui.cli.spec_cmds:endpoints", "List the spec's operations, grouped by first tag."),
    "describe": ("labs_tui.cli.spec_cmds:describe", "Show one operation: parameters, body, responses."),
    "call": ("labs_tui.cli.call_cmds:call", "Send one request and explain what came back."),
    "compare": ("labs_tui.cli.compare_cmd:compare", "Send one request under several versions and diff them."),
    "sandbox": ("labs_tui.cli.sandbox_cmd:sandbox", "Serve the Labs API emulator on loopback."),
    "config": ("labs_tui.cli.config_cmd:config", "Where the config file is, and what it holds."),
    "diff-spec": ("labs_tui.cli.diff_cmd:diff_spec", "What changed between two versions of a spec."),
}


class _QuietStdout:
    """``sys.stdout`` that goes quiet when its reader leaves (``labs-tui endpoints | head -1``).

    On the first ``BrokenPipeError`` stdout is pointed at the null device (``os.dup2``, as the
    Python docs recommend) and the command carries on to its own exit code: a closed pipe is not a
    failure of ours, so no traceback, no "Broken pipe" and not click's exit 1.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def _quiet(self) -> None:
        self.closed_by_reader = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._quiet()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._quiet()
            try:
                self._stream.flush()  # what was buffered now goes to the null device
            except OSError:
                pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guard_stdout() -> None:
    stream: Any = sys.stdout
    if stream is None or id(stream) != id(sys.__stdout__) or isinstance(stream, _QuietStdout):
        return  # not the process's own stdout (a test runner's capture), or already guarded
    try:
        stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    sys.stdout = _QuietStdout(stream)


class _LazyGroup(click.Group):
    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        _guard_stdout()  # scripted commands only: the TUI owns the terminal itself
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = _COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Summaries come from the table above, so --help imports none of the command modules.
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(_COMMANDS.items())])


@click.group(
    cls=_LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--spec",
    "spec_source",
    metavar="FILE|URL",
    help="OpenAPI spec to open (default: the bundled Labs spec); the embedded sandbox serves it.",
)
@click.option(
    "--profile", metavar="NAME", help="Profile: sandbox (default), live, or one from the config file."
)
@click.option("--base-url", metavar="URL", help="Send requests here instead of the profile's base URL.")
@network_options  # --ca-cert FILE, --insecure: the same flags, words and checks as call/compare
@click.option("--pin", metavar="V", help="X-Labs-API-Version to pin (e.g. 1.0); 'latest' sends no pin.")
@click.option(
    "--endpoint", metavar='OPERATION_ID|"METHOD PATH"', help="Endpoint to select when the app opens."
)
@click.option("--open", "open_file", metavar="FILE", help="A saved request (YAML) to open in the builder.")
@click.option(
    "--collection",
    metavar="DIR",
    help="Folder of saved requests (default: <data dir>/collection); its .env fills ${NAME} variables.",
)
@click.version_option(__version__, prog_name="labs-tui")
@click.pass_context
def main(ctx: click.Context, /, **options: Any) -> None:
    """A terminal explorer for Astronomer's Astro v1 Labs API.

    With no command, opens the app: the bundled Labs spec and an embedded sandbox server, so it
    works offline and without a token. Commands below do the same jobs for scripts.

    \b
    Exit codes: 0 success; 1 an HTTP status of 400 or more (call) or
    differences (compare); 2 usage or spec error; 3 network failure.
    """
    if ctx.invoked_subcommand is not None:
        return
    from labs_tui.cli.options import check_base_url, check_ca_cert, check_pin
    from labs_tui.cli.tui_cmd import run_tui

    check_pin(options["pin"])
    check_base_url(options["base_url"])
    ca_cert = check_ca_cert(options.pop("ca_cert"))
    if ca_cert is not None:  # the app's profiles read it like any SSL_CERT_FILE
        os.environ["SSL_CERT_FILE"] = ca_cert
    run_tui(**options)
