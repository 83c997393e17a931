from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """How many writes a scope of public content has had (pagecache/versions.py).

    Cached pages are keyed by these numbers; every write moves them in its own transaction.
    The table keeps the name it had when the model lived in `pledges`.

    A scope's version is the sum of its rows (`shard`s): on PostgreSQL a writer moves a row
    of the scope that no other open transaction holds, and adds one when all are held, so
    a long transaction in one kommun never makes writers elsewhere wait for its commit
    (pagecache/versions.py, `bump`). A scope has as many rows as writers ever held it at once.
    """

    # "nation", "reference", "municipality:<slug>", "municipality_text:<slug>" or
    # "police_area:<slug>".
    scope = models.CharField(_("omfattning"), max_length=120)
    # 0 for the first row of a scope; a random number for a row added beside held ones.
    shard = models.IntegerField(_("del"), default=0)
    version = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    class Meta:
        db_table = "pledges_contentversion"
        verbose_name = _("innehållsversion")
        verbose_name_plural = _("innehållsversioner")
        constraints = [
            models.UniqueConstraint(fields=["scope", "shard"], name="contentversion_scope_shard"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
