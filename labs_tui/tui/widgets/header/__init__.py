"""The header region: spec, profile, base URL and the SANDBOX / LIVE badge (``bar.HeaderBar``)."""
