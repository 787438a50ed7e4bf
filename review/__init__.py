"""The review web UI (Flask): analysts decide and translate, editors assemble the release.

:func:`review.app.create_app` builds the app; ``newsmon serve`` runs it. The operations behind
the pages are the desk's (:mod:`desk`, shared with ``newsmon review apply`` and the release builder).
"""
