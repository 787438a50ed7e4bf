"""Route families ("shapes") a mirrored site folder is served by, parameterised by its ``site.toml``.

A site folder names its shape with ``shape = "..."`` (default ``outlet``):

- :mod:`mirror.shapes.outlet`: a news outlet with feeds and paged listings at configured paths.
- :mod:`mirror.shapes.wordpress`: WordPress editions by path prefix, slug or date permalinks,
  ``/page/N/``, feeds, shortlinks, taxonomy and date archives, an undated legacy section.
- :mod:`mirror.shapes.id_news`: id-numbered news per edition (``/<ed>/news/<id>``), ``?page=N``
  listings, a language twin switch, static section pages.
- :mod:`mirror.shapes.portal`: a news portal on several hosts (a main one and regional ones), each
  with its own zone, template variant and region; ``/news/N/`` listings, RSS, a day archive.

:func:`mirror.datasite.data_site` loads a folder into the shape's :class:`~mirror.site.Site` class.
No shape names a site or host: everything a site has of its own is in its folder.
"""
