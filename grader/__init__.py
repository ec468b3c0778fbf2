"""descent's grading engine: catalog, sandboxed runs, checks and the result model."""

__version__ = "0.1.0"
