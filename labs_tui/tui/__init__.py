"""The Textual app: it arranges and renders what the core returns, and decides nothing a script could not.

Importing this package does not import Textual; ``labs_tui.tui.app.make_app`` does.
"""
