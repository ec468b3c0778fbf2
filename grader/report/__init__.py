"""The class report: how a class did, as an HTML page with PNG charts, from the result model."""
