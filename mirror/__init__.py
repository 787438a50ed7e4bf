"""Offline mirror of the monitored sites: fixture pages shaped like each site's markup, on 127.0.0.1.

``MirrorServer`` serves them (see :mod:`mirror.server`); ``articles()`` / ``manifest()`` list what
is served (see :mod:`mirror.catalog`). ``python -m mirror serve`` runs it from the command line.
"""

from mirror.catalog import articles, hosts, manifest, reference_events
from mirror.server import MirrorServer

__all__ = ["MirrorServer", "articles", "hosts", "manifest", "reference_events"]
