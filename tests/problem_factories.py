"""Factories for problems and effect indicators (pledges.problems)."""

import datetime
from decimal import Decimal

import factory

from pledges import models
from tests.factories import MunicipalityFactory, PledgeFactory


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Problem
        skip_postgeneration_save = True

    pledge = factory.SubFactory(PledgeFactory)
    title = factory.Sequence(lambda n: f"Problem {n}")
    description = "Många känner sig otrygga kvällstid."
    sources = "Polisens trygghetsmätning 2024"

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if create and extracted:
            self.commitments.add(*extracted)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Andel otrygga {n}")
    unit = "%"
    source = "Polisens trygghetsmätning"

    @factory.post_generation
    def problems(self, create, extracted, **kwargs):
        if create and extracted:
            self.problems.add(*extracted)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.Sequence(lambda n: datetime.date(2015 + n % 10, 1, 1))
    value = Decimal("23.5")
    source = "https://polisen.se/trygghetsmatning"
