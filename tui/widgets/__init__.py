"""The tutor's widgets: exercise list, progress bar, detail pane and plots."""
