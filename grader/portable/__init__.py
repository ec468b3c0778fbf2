"""The portable runner: student code in spawned (not forked) children, for Windows and macOS."""
