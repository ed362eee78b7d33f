"""Widgets laid out by screen region: header/, endpoints/, request/, response/."""
