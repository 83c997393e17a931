"""No write can skip a version: many-to-many links (add, remove, set, clear, from either
side) and what a delete reaches without `save()` (cascades, SET_NULL) move the versions of
every scope they touch. The relations are enumerated from the models, so a new public
relation is covered, or this test fails asking for a factory."""

import inspect

import factory
import pytest
from django.apps import apps
from django.db import models

from pagecache.versions import NATION, PublicContentMixin, deletion_scopes, versions
from tests import factories, problem_factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    cls._meta.model: cls
    for module in (factories, problem_factories)
    for _, cls in inspect.getmembers(module, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls._meta.model is not None
}
PUBLIC = [m for m in apps.get_models() if issubclass(m, PublicContentMixin)]


def make(model, **kwargs):
    assert model in FACTORIES, f"tests/factories.py needs a factory for {model.__name__}"
    return FACTORIES[model](**kwargs)


def own_scopes(obj):
    return obj._own_scopes("default") - {NATION}


def moved(scopes, write):
    before = versions(scopes)
    write()
    after = versions(scopes)
    return {scope for scope in scopes if after[scope] > before[scope]}


M2M = [
    (model, field)
    for model in PUBLIC
    for field in model._meta.get_fields()
    if field.many_to_many and not field.auto_created and hasattr(field, "remote_field")
]


def test_the_public_relations_are_found():
    names = {f"{model.__name__}.{field.name}" for model, field in M2M}
    assert {"PoliceArea.municipalities", "Commitment.responsible_partners"} <= names


@pytest.mark.parametrize(
    ("model", "field"), M2M, ids=[f"{model.__name__}.{field.name}" for model, field in M2M]
)
def test_every_link_change_moves_both_sides(model, field):
    owner = make(model)
    other = make(field.related_model)
    scopes = own_scopes(owner) | own_scopes(other)
    links = getattr(owner, field.name)
    assert moved(scopes, lambda: links.add(other)) == scopes
    assert moved(scopes, lambda: links.remove(other)) == scopes
    links.add(other)
    assert moved(own_scopes(owner), lambda: links.clear()) == own_scopes(owner)
    assert moved(scopes, lambda: links.set([other])) == scopes
    # From the other side, as an admin of the other model may write it (simple-history's
    # m2m tracking, where a relation has it, fails on that side: not written there).
    history = getattr(getattr(model, "history", None), "model", None)
    tracked = {f.name for f in getattr(history, "_history_m2m_fields", [])}
    if field.name not in tracked:
        reverse = getattr(other, field.remote_field.get_accessor_name())
        assert moved(scopes, lambda: reverse.remove(owner)) == scopes


CHILDREN = [
    (model, relation)
    for model in PUBLIC
    for relation in model._meta.related_objects
    if not relation.many_to_many
    and issubclass(relation.related_model, PublicContentMixin)
    and relation.on_delete in (models.CASCADE, models.SET_NULL)
]


def test_the_cascades_are_found():
    assert any(relation.on_delete is models.SET_NULL for _, relation in CHILDREN)
    assert any(relation.on_delete is models.CASCADE for _, relation in CHILDREN)


@pytest.mark.parametrize(
    ("model", "relation"),
    CHILDREN,
    ids=[f"{model.__name__}-{relation.name}" for model, relation in CHILDREN],
)
def test_a_delete_moves_what_it_reaches(model, relation):
    parent = make(model)
    child = make(relation.related_model, **{relation.field.name: parent})
    reached = own_scopes(child)
    assert reached <= deletion_scopes([parent], using="default")
    assert moved(reached, parent.delete) == reached
