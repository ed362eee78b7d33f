"""Messages the workers post: what loaded, what started, what came back.

Thread workers only ``post_message`` these; handlers on the app and the main screen apply them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only (this module is imported before the first screen)
    from labs_tui.client import CallResult, Diagnosis
    from labs_tui.compare import Comparison
    from labs_tui.sandbox import SandboxHandle
    from labs_tui.spec import Spec
    from labs_tui.store import History, HistoryEntry, HistoryRow, StoredForm


@dataclass
class SpecLoaded(Message):
    spec: Spec


@dataclass
class SpecFailed(Message):
    error: str  # one line


@dataclass
class SpecProgress(Message):
    note: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SpecProgress)


@dataclass
class SandboxStarted(Message):
    handle: SandboxHandle


@dataclass
class SandboxFailed(Message):
    error: str


@dataclass
class SendFinished(Message):
    """A call came back (or failed on the network). ``seq`` lets the screen drop stale results."""

    seq: int
    result: CallResult
    diagnosis: Diagnosis


@dataclass
class CompareFinished(Message):
    """A comparison came back (``comparison``), or could not be run (``error``, one line)."""

    comparison: Comparison | None = None
    error: str | None = None


@dataclass
class HistoryOpened(Message):
    """The history store is ready; ``notice`` says once what was wrong with the file, if anything."""

    history: History
    notice: str | None


@dataclass
class HistoryRowsLoaded(Message):
    """Rows for the history screen's current filter; ``generation`` drops answers to old filters."""

    generation: int
    rows: list[HistoryRow]


@dataclass
class HistoryEntryLoaded(Message):
    """A stored call read back for reopening in the builder (None: it is gone), with its multipart
    body's fields when it had one (parsed in the reading thread)."""

    entry: HistoryEntry | None
    form: StoredForm | None = None


@dataclass
class HistoryNotice(Message):
    """A one-line problem the history store reported after an add (shown once)."""

    notice: str
