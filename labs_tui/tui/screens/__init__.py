"""Screens: the main explorer and the small typed dialogs it opens."""
