from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """How many writes a scope of public content has had (pagecache/versions.py).

    Cached pages are keyed by these numbers; every write moves them in its own transaction.
    The table keeps the name it had when the model lived in `pledges`.
    """

    # "nation", "reference", "municipality:<slug>", "municipality_text:<slug>" or
    # "police_area:<slug>".
    scope = models.CharField(_("omfattning"), max_length=120, unique=True)
    version = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    class Meta:
        db_table = "pledges_contentversion"
        verbose_name = _("innehållsversion")
        verbose_name_plural = _("innehållsversioner")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
