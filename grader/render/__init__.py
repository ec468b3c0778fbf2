"""Renderers: each formats the one result model for one audience; none decides anything."""
