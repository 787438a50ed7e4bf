"""Benchmarks of newsmon on the bundled mirror (``python -m benchmarks``, ``make bench``).

:mod:`.suite` runs the measurements, :mod:`.report` prints the tables, :mod:`.crawl` measures a
``newsmon crawl``, :mod:`.floor` the bare extraction, :mod:`.peer` trafilatura's own crawler,
:mod:`.probe` the per-stage costs inside a crawl, :mod:`.scale` distributed crawling.
"""
