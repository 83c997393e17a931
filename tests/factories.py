"""factory_boy factories for the whole project. Later apps add theirs here."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from pledges import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")


class PoliceRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PoliceRegion
        django_get_or_create = ("name",)

    name = "Väst"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace("ä", "a"))


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.County
        django_get_or_create = ("code",)

    code = "14"
    name = "Västra Götalands län"
    police_region = factory.SubFactory(PoliceRegionFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"Testkommun {n}")
    slug = factory.Sequence(lambda n: f"testkommun-{n}")
    county = factory.SubFactory(CountyFactory)


class PoliceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PoliceArea
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lokalpolisområde {n}")
    slug = factory.Sequence(lambda n: f"lpo-{n}")
    police_district = "Fyrbodal"
    region = factory.SubFactory(PoliceRegionFactory)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Pledge

    municipality = factory.SubFactory(MunicipalityFactory)
    police_area = factory.SubFactory(PoliceAreaFactory)
    title = factory.Sequence(lambda n: f"Medborgarlöfte {n}")
    slug = factory.Sequence(lambda n: f"lofte-{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=364))
    introduction = "Polisen och kommunen lovar att arbeta för ökad trygghet."
    status = models.Pledge.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FocusArea

    pledge = factory.SubFactory(PledgeFactory)
    title = factory.Sequence(lambda n: f"Fokusområde {n}")
    order = factory.Sequence(lambda n: n)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commitment

    pledge = factory.SubFactory(PledgeFactory)
    focus_area = factory.SubFactory(FocusAreaFactory, pledge=factory.SelfAttribute("..pledge"))
    text = factory.Sequence(lambda n: f"Minst 20 trafikkontroller, nummer {n}.")
    responsible_police = True
    target_kind = models.Commitment.TargetKind.COUNT
    target_quantity = 20
    target_unit = "trafikkontroller"
    order = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity

    commitment = factory.SubFactory(CommitmentFactory)
    date = factory.LazyFunction(timezone.localdate)
    quantity = 1
    place = "Nordmannatorget"
    description = "Fotpatrullering kvällstid."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
