"""Discovery strategies: small classes over a :class:`~crawlers.spec.SiteSpec` that find article
URLs (feed, listing with paging, day/month-archive backfill, id walk). The spider core
(:mod:`crawlers.base`) decides which to use and when a chain stops."""
