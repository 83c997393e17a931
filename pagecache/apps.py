from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Sidcache")

    def ready(self) -> None:
        from pagecache.relations import links_changed

        m2m_changed.connect(links_changed, dispatch_uid="pagecache.links_changed")
