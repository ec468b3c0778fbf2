"""Batch grading for instructors: intake, a warm worker pool, a journal, outputs and reports."""
