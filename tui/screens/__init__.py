"""The tutor's screens: the main view and the help overlay."""
