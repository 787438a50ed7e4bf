"""The review web UI (Flask): analysts decide and translate, editors assemble the release.

:func:`review.app.create_app` builds the app; ``newsmon serve`` runs it. The operations behind
the pages live in :mod:`storage.editing` (shared with ``newsmon review apply``, :mod:`review.bulk`).
"""
