"""The Scrapy project: one spider per source (``spiders/<id>.py``) on a generic base.

Generic, site-agnostic modules: :mod:`.base` (discovery, incremental stop, hand-over),
:mod:`.dates`, :mod:`.feeds`, :mod:`.links`, :mod:`.pages`, :mod:`.runs` (crawl-run rows),
:mod:`.middlewares` (mirror routing, polite retries), :mod:`.pipelines` (tagging -> storage),
:mod:`.process` (running crawls from Python), :mod:`.settings`.
"""
