"""Many-to-many changes move the content versions too.

`add()`, `remove()`, `set()` and `clear()` write the link table directly: no model's
`save()` or QuerySet `update()` runs, so `PublicContentMixin` never sees them. Django
reports them with `m2m_changed`, which is connected here for every relation (pagecache's
AppConfig.ready): the versions of the instance and of the rows linked or unlinked move in
the same transaction. Infrastructure only: no rule of the domain lives here.
"""

from typing import Any

from pagecache.versions import bump, related_change_scopes

# Stashed between pre_clear and post_clear: after a clear the unlinked rows are unknown.
_CLEARED = "_pagecache_cleared_scopes"


def links_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: type,
    pk_set: set | None,
    using: str,
    **kwargs: Any,
) -> None:
    if action == "pre_clear":
        related = getattr(instance, _related_accessor(sender, instance, model, reverse), None)
        pks = list(related.values_list("pk", flat=True)) if related is not None else []
        setattr(instance, _CLEARED, related_change_scopes(instance, model, pks))
    elif action == "post_clear":
        bump(getattr(instance, _CLEARED, set()), using=using)
    elif action in ("post_add", "post_remove"):
        bump(related_change_scopes(instance, model, pk_set), using=using)


def _related_accessor(sender: Any, instance: Any, model: type, reverse: bool) -> str:
    """The attribute of `instance` that is the relation stored in the link table `sender`."""
    for field in type(instance)._meta.get_fields():
        if not field.many_to_many:
            continue
        through = getattr(field, "through", None) or getattr(field.remote_field, "through", None)
        if through is sender:
            return field.get_accessor_name() if field.auto_created else field.name
    return ""
