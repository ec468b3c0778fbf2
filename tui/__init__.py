"""The student's terminal tutor: a Textual app over the grading service, progress and hints."""
