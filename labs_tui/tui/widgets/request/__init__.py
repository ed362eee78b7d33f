"""The request region: URL line, pin, Send, and the Params/Headers/Body/Docs tabs (``pane.RequestPane``)."""
