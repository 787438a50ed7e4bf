"""Generic article tagging: extract → language → country → period → relevance → topic → cluster.

Each stage is a small module with a typed input and output and no Scrapy or database
dependency; :func:`pipeline.runner.tag_page` composes them. Vocabulary (lexicons, gazetteer,
topic rules) is data in ``config/``, never code.
"""
