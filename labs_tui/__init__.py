"""labs-tui: a terminal explorer for Astronomer's Astro v1 Labs API.

The package is split so that every decision lives in a UI-free core (``spec``, ``client``,
``compare``, ``sandbox``, ``store``) and two thin front ends render it: ``cli`` for scripts and
``tui`` for people. Nothing here imports Textual at import time.
"""

__version__ = "0.1.0"
