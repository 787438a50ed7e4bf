"""Errors a user can cause and fix: the CLI prints them as one line, never as a traceback."""


class UserError(Exception):
    """A mistake in input, configuration or environment, with a message saying what to fix."""
