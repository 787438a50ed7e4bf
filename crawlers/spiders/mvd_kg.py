"""mvd.gov.kg: the MIA of the Kyrgyz Republic.

News items are ``/rus/news/<id>`` (Russian) and ``/kyr/news/<id>`` (Kyrgyz) with sequential ids;
listings ``/rus/news?page=N``; the page states its date as ``DD.MM.YYYY`` next to the title.
When a listing cannot be read, the spider walks the ids (stopping after consecutive misses).
The site has no hreflang: its language switch links the same id under the other prefix.
"""

from __future__ import annotations

from crawlers.base import NewsSpider
from crawlers.spec import SiteSpec, WalkSpec


class MvdKgSpider(NewsSpider):
    name = "mvd_kg"
    spec = SiteSpec(
        article_patterns=(r"/(?:rus|kyr)/news/\d+/?",),
        language_prefixes=(("/rus/", "ru"), ("/kyr/", "ky")),
        article_date_selectors=("[class*='date']",),
        # Guessed markup (research: only the text order is known): listing rows, home cards, body.
        listing_item_selectors=(".news-list__item", ".news-card"),
        listing_page_template="{listing_path}?page={page}",
        walk=WalkSpec(
            template="{scheme}://{host}{prefix}/news/{id}",
            id_pattern=r"/(?:rus|kyr)/news/(\d+)/?$",
            default_prefix="/rus",
            home_from_prefix=True,
            # Kyrgyz versions exist for some news only: their ids leave gaps of a dozen and more.
            max_misses=20,
            alternates_by_id=True,
        ),
    )
