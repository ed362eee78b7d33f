"""The ``Prefer`` request header, as Prism reads it: pick the status, the example, or generated data.

``Prefer: code=404`` answers with that documented status; ``example=NAME`` with that named
example of the chosen response; ``dynamic=true`` with data generated from the schema even when
an example is documented. Preferences combine (``code=400, example=bad``), separated by commas or
semicolons. Unknown preferences are ignored, as RFC 7240 asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from labs_tui.sandbox.app import SandboxRequest


@dataclass(frozen=True, slots=True)
class Preference:
    code: str | None = None  # e.g. "404", as written
    example: str | None = None
    dynamic: bool = False

    @property
    def empty(self) -> bool:
        return self.code is None and self.example is None and not self.dynamic


def read(request: SandboxRequest) -> Preference:
    code: str | None = None
    example: str | None = None
    dynamic = False
    for header in request.header_all("Prefer"):
        for part in header.replace(";", ",").split(","):
            name, _, value = part.strip().partition("=")
            value = value.strip().strip('"')
            name = name.strip().lower()
            if name == "code" and value:
                code = value
            elif name == "example" and value:
                example = value
            elif name == "dynamic":
                dynamic = value.lower() in ("true", "1", "yes", "")
    return Preference(code=code, example=example, dynamic=dynamic)
