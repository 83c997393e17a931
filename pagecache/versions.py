"""The one path by which a write to public content moves the content versions.

Each public page depends on a known *scope*: a kommun (`municipality:<slug>`: the kommun page,
its löften, commitments, walks, dialogues, synpunkter and feed), a police area
(`police_area:<slug>`), the nation (`nation`: home, national feed, open data and API) and the
reference data every page shows (`reference`: län, kommuner, police areas, partners). A
`ContentVersion` row per scope counts the writes; rendered pages are cached under the
versions they were rendered from, so a write makes the old copies unreachable at once, in
every process and on every host that shares the database.

Every model the public pages show saves and deletes through `PublicContentMixin`, and its
QuerySet's bulk writes (`update`, `delete`, `bulk_create`, `bulk_update`) go through
`PublicContentQuerySet`. Both move the versions of every scope the rows touch *inside the
writing transaction* (F() + 1), so the admin, the staff pages, the import, the services and
the management commands cannot skip it and no reader can see new versions with old data.
No signals: the model layer is the one place every write passes.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import (
    InterfaceError,
    OperationalError,
    connections,
    models,
    router,
    transaction,
)
from django.db.models import F
from django.db.models.deletion import Collector
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pagecache.models import ContentVersion

NATION = "nation"
REFERENCE = "reference"


def municipality_scope(slug: str) -> str:
    return f"municipality:{slug}"


def municipality_text_scope(slug: str) -> str:
    """Everything on a kommun's pages except its activity log. Every write that moves a
    kommun's version moves this one too, but for the logging of activities: the parts of a
    page that no activity changes (a löfte's texts, contacts, decisions, dialogues) are
    cached under it as fragments (pagecache/templatetags/fragments.py) and stay warm while staff
    log their work."""
    return f"municipality_text:{slug}"


def police_area_scope(slug: str) -> str:
    return f"police_area:{slug}"


def bump(scopes: Iterable[str], *, using: str | None = None) -> None:
    """Moves the versions of `scopes` (and the nation's) by one, in the current
    transaction. A scope without a row yet gets one.

    The rows moved stay locked until the transaction commits. On PostgreSQL a writer moves a
    row of each scope that no other open transaction holds (`SKIP LOCKED`) and adds one
    where every row is held (a scope's version is the sum of its rows): a writer never
    waits for another, so a long import in one kommun holds up no writer in another, even
    on the nation's version they share, and two transactions writing in two kommuner in
    opposite orders cannot deadlock. One statement."""
    using = using or router.db_for_write(ContentVersion)
    wanted = sorted(set(scopes) | {NATION})
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_BUMP_SQL.format(connection.ops.quote_name(_TABLE)), [wanted])
            return
        # Elsewhere (SQLite) writers are serialised by the database: one row per scope.
        manager = ContentVersion.objects.db_manager(using)
        moved = {"version": F("version") + 1, "changed_at": Now()}
        updated = manager.filter(scope__in=wanted).update(**moved)
        if updated < len(wanted):
            # Rows are created at 0 and then moved: a concurrent creator waits on the
            # unique key, so no write is lost between the two.
            manager.bulk_create(
                [ContentVersion(scope=scope, version=0) for scope in wanted],
                ignore_conflicts=True,
            )
            manager.filter(scope__in=wanted).update(**moved)


_TABLE = ContentVersion._meta.db_table
# For each scope: its first row no other transaction holds, locked and moved; where there
# is none, a new row (a random shard, so that two writers adding one never meet on the
# unique key).
_BUMP_SQL = """
WITH wanted AS (SELECT unnest(%s::text[]) AS scope),
picked AS (
    SELECT free.id FROM wanted CROSS JOIN LATERAL (
        SELECT id FROM {0} AS cv WHERE cv.scope = wanted.scope
        ORDER BY cv.shard LIMIT 1 FOR UPDATE SKIP LOCKED
    ) AS free
),
moved AS (
    UPDATE {0} AS cv SET version = cv.version + 1, changed_at = statement_timestamp()
    FROM picked WHERE cv.id = picked.id RETURNING cv.scope
)
INSERT INTO {0} (scope, shard, version, changed_at)
SELECT scope, (random() * 2147483647)::integer, 1, statement_timestamp() FROM wanted
WHERE scope NOT IN (SELECT scope FROM moved)
ON CONFLICT (scope, shard)
DO UPDATE SET version = {0}.version + 1, changed_at = statement_timestamp()
"""


def version_rows(
    scopes: Iterable[str], *, using: str | None = None
) -> dict[str, tuple[int, datetime.datetime | None]]:
    """{scope: (version, changed_at)} for `scopes` ((0, None) where nothing was ever
    written): one query. It runs on every public request, even a cached page's, and building
    it through the ORM cost as much as running it: the SQL is written out.

    A persistent connection that died (a database restart) fails this read; outside a
    transaction it is read again once on a new connection. That is what Django's
    CONN_HEALTH_CHECKS would do with a `SELECT 1` before every request's first query, a
    second round trip on every cached page, so the health checks are off (settings.py) and
    this read, the first query of every public page, stands in for them."""
    using = using or router.db_for_read(ContentVersion)
    connection = connections[using]
    scopes = list(scopes)
    sql = "SELECT scope, version, changed_at FROM {} WHERE scope IN ({})".format(
        connection.ops.quote_name(_TABLE), ", ".join(["%s"] * len(scopes))
    )
    try:
        found = _read_versions(connection, sql, scopes)
    except (OperationalError, InterfaceError) as error:
        # Bounded like every query: an error the server answered (a statement or lock
        # timeout) is not a dead connection, and is not waited for twice. A server that is
        # shutting down or restarting answers too (class 57P: "terminating connection due
        # to administrator command"), and its connection is dead.
        if connection.in_atomic_block or not _connection_lost(error):
            raise
        connection.close()
        found = _read_versions(connection, sql, scopes)
    return {scope: found.get(scope, (0, None)) for scope in scopes}


# SQLSTATEs of a connection that is gone: connection exceptions (class 08) and a server
# that shut down, crashed or is starting (57P01-57P03). Not 57014 (a statement timeout).
_LOST = ("08", "57P01", "57P02", "57P03")


def _connection_lost(error: Exception) -> bool:
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_LOST)


def _read_versions(
    connection: Any, sql: str, scopes: list[str]
) -> dict[str, tuple[int, datetime.datetime | None]]:
    """{scope: (version, changed_at)}: the sum of the scope's rows and the latest of their
    times (`bump`)."""
    found: dict[str, tuple[int, datetime.datetime | None]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, scopes)
        for scope, version, changed_at in cursor:
            changed_at = _aware(changed_at)
            if scope in found:
                total, latest = found[scope]
                version += total
                if latest is not None and (changed_at is None or latest > changed_at):
                    changed_at = latest
            found[scope] = (version, changed_at)
    return found


def _aware(value: Any) -> datetime.datetime | None:
    """A timestamp as the ORM would give it: SQLite's raw rows hold text in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def versions(scopes: Iterable[str], *, using: str | None = None) -> dict[str, int]:
    """{scope: version} for `scopes` (0 where nothing was ever written): one query."""
    return {scope: row[0] for scope, row in version_rows(scopes, using=using).items()}


def municipality_versions(
    scope: Callable[[str], str] = municipality_scope, *, using: str | None = None
) -> tuple[int, dict[str, int]]:
    """The reference version and {kommun slug: version} of every kommun with a row for
    `scope` (`municipality_scope` or `municipality_text_scope`; a kommun without one has
    had no write since the last bulk load, which moves the reference version): one query
    over a few hundred small rows."""
    prefix = scope("")
    rows = (
        ContentVersion.objects.db_manager(using)
        .filter(models.Q(scope__startswith=prefix) | models.Q(scope=REFERENCE))
        .values_list("scope", "version")
    )
    found: dict[str, int] = {}
    reference = 0
    for name, version in rows:  # a scope's version is the sum of its rows (`bump`)
        if name == REFERENCE:
            reference += version
        else:
            slug = name[len(prefix) :]
            found[slug] = found.get(slug, 0) + version
    return reference, found


def _scope_fields(kind: str, path: str | None) -> list[str]:
    """The columns that name the scopes of a row, reached through `path`."""
    prefix = f"{path}__" if path else ""
    if kind == "pledge":
        return [
            f"{prefix}municipality__slug",
            f"{prefix}municipality__police_areas__slug",
            f"{prefix}police_area__slug",
        ]
    if kind == "municipality":
        return [f"{prefix}slug", f"{prefix}police_areas__slug"]
    raise ValueError(kind)


def scopes_of(queryset: models.QuerySet) -> set[str]:
    """The scopes the rows of `queryset` touch: one query (none for reference data)."""
    kind, path = queryset.model.content_scope
    if kind == "reference":
        return {REFERENCE}
    fields = _scope_fields(kind, path)
    texts = not getattr(queryset.model, "activity_log", False)
    scopes = set()
    for row in queryset.order_by().values_list(*fields).distinct():
        municipality, *areas = row
        if municipality:
            scopes.add(municipality_scope(municipality))
            if texts:
                scopes.add(municipality_text_scope(municipality))
        scopes.update(police_area_scope(area) for area in areas if area)
    return scopes


def deletion_scopes(objs: Any, *, using: str) -> set[str]:
    """The scopes of `objs` (instances or a queryset) and of every row their deletion
    reaches: cascades, SET_NULL and SET_DEFAULT updates and fast deletes, which Django
    writes without `save()` or a QuerySet's `update()`. Collected as the delete itself
    collects them (Django's Collector), before anything is deleted."""
    collector = Collector(using=using)
    collector.collect(objs)
    found: set[str] = set()

    def add(model: type, rows: models.QuerySet) -> None:
        if issubclass(model, PublicContentMixin):
            found.update(scopes_of(rows))

    def rows_of(model: Any, instances: Any) -> models.QuerySet:
        if isinstance(instances, models.QuerySet):
            return instances
        return model._base_manager.using(using).filter(pk__in=[obj.pk for obj in instances])

    for model, instances in collector.data.items():
        if instances:
            add(model, rows_of(model, instances))
    for queryset in collector.fast_deletes:
        add(queryset.model, queryset)
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            add(field.model, rows_of(field.model, batch))
    return found


def related_change_scopes(instance: Any, model: Any, pks: Iterable[Any] | None) -> set[str]:
    """The scopes a change of a many-to-many relation touches: `instance`'s and those of
    the rows of `model` it was linked to or unlinked from (`pks`)."""
    scopes: set[str] = set()
    using = instance._state.db or "default"
    if isinstance(instance, PublicContentMixin):
        scopes |= instance._own_scopes(using)
    if pks and issubclass(model, PublicContentMixin):
        scopes |= scopes_of(model._base_manager.using(using).filter(pk__in=list(pks)))
    return scopes


class PublicContentMixin:
    """For models the public pages show. Set `content_scope` to ("pledge", path to the
    löfte), ("municipality", path to the kommun) or ("reference", None). `activity_log`:
    the rows are the log of activities, which moves a kommun's version but not its text
    version (`municipality_text_scope`)."""

    content_scope: tuple[str, str | None] = ("reference", None)
    activity_log = False

    def _own_scopes(self, using):
        return scopes_of(type(self)._base_manager.using(using).filter(pk=self.pk))

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            # Before too: a row moved to another kommun changes both pages.
            before = set() if self._state.adding or self.pk is None else self._own_scopes(using)
            super().save(*args, **kwargs)
            bump(before | self._own_scopes(using), using=using)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            scopes = deletion_scopes([self], using=using)
            result = super().delete(*args, **kwargs)
            bump(scopes, using=using)
        return result

    delete.alters_data = True  # type: ignore[attr-defined]


class PublicContentQuerySet(models.QuerySet):
    """Bulk writes that bypass `Model.save()`/`delete()` move the versions too."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            scopes = scopes_of(self)
            count = super().update(**kwargs)
            if count:
                bump(scopes | scopes_of(self), using=self.db)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self):
        with transaction.atomic(using=self.db):
            scopes = deletion_scopes(self, using=self.db)
            result = super().delete()
            if result[0]:
                bump(scopes, using=self.db)
        return result

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    # Bulk creation is for loading data (demo, scale data, fixtures): it moves everything.
    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if created:
                bump({REFERENCE}, using=self.db)
        return created

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, *args, **kwargs):
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, *args, **kwargs)
            if count:
                bump({REFERENCE}, using=self.db)
        return count

    bulk_update.alters_data = True  # type: ignore[attr-defined]
