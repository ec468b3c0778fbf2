"""Gradescope: the autograder bundle (`descent gradescope`) and the run inside it (`autograde`)."""
