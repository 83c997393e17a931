"""The page cache: public pages are made once per version of what they show.

1. `versions.py`: a `ContentVersion` counter per scope (the nation, the reference data,
   each kommun, its texts, each police area). Every write to public content moves the
   counters of the scopes it touches inside its own transaction (`PublicContentMixin`,
   `PublicContentQuerySet`): no write can leave a stale page behind. A counter is the sum
   of its rows, and a writer moves one no other open transaction holds (`bump`): writers
   never wait for each other.
2. `pages.py`: `@public_page(scopes)` on a view keys its page by those counters, the
   path, the language, the date and a five-minute time step; `PublicPageCacheMiddleware`
   answers a hit (or a 304) with one query before the middleware a made page needs. A
   national page may be served up to 5 s after a write while one thread makes it again
   (`PublicPage.previous`); each representation (gzip, identity) is kept.
3. `templatetags/fragments.py`: parts of a page cached the same way, for staff and for a
   page whose activity log alone moved. `store.py`: per-kommun figures kept in memory.
"""
