"""The one path by which a write to public content makes cached figures fresh.

Every model whose rows the public pages count (löften, commitments, activities, kommuner)
saves and deletes through `PublicContentMixin`, and its QuerySet's bulk writes
(`update`, `delete`, `bulk_create`, `bulk_update`) through `PublicContentQuerySet`. Both
call `public_content_changed()`, so the admin, the staff pages, the import, the services
(archive, restore, walks) and the management commands cannot skip it: there is nothing
for a writer to remember. No signals: the model layer is the one place every write passes.
"""

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

NATIONAL_FIGURES_KEY = "pledges:national-figures:v2"


def national_figures_key(today):
    """The cache key of the home page's national figures on `today` (they change at
    midnight: "current" and "by today" move with the date)."""
    return f"{NATIONAL_FIGURES_KEY}:{today.isoformat()}"


def _forget_national_figures():
    cache.delete(national_figures_key(timezone.localdate()))


def public_content_changed():
    """Clears the cached national figures once the writing transaction commits (at once
    outside one), so a concurrent request cannot cache the old figures again between the
    clearing and the commit, and a rolled-back write clears nothing."""
    transaction.on_commit(_forget_national_figures)


class PublicContentMixin:
    """For models the public figures count: `save()` and `delete()` report the change."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        public_content_changed()

    save.alters_data = True

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        public_content_changed()
        return result

    delete.alters_data = True


class PublicContentQuerySet(models.QuerySet):
    """Bulk writes that bypass `Model.save()`/`delete()` report the change too."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        public_content_changed()
        return count

    update.alters_data = True

    def delete(self):
        result = super().delete()
        public_content_changed()
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        public_content_changed()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        count = super().bulk_update(objs, fields, *args, **kwargs)
        public_content_changed()
        return count
