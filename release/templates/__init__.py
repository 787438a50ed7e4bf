"""Jinja2 templates and the stylesheet of the release (a package so that installs ship them)."""
