"""The endpoints region: operations grouped by tag, with the core's filter (``pane.EndpointsPane``)."""
