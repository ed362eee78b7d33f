"""The endpoints region: operations grouped by tag, with a fuzzy filter (``pane.EndpointsPane``)."""
