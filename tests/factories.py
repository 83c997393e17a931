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
    password = factory.django.Password("correct-horse-battery-staple")


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

    # Four characters, like a real kommunkod; no real one starts with 9.
    code = factory.Sequence(lambda n: f"9{n % 1000:03d}")
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


# --- pages ---


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Samverkanspart {n}")


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Signatory

    pledge = factory.SubFactory(PledgeFactory)
    name = factory.Sequence(lambda n: f"Undertecknare {n}")
    title = "Kommunstyrelsens ordförande"
    organisation = "Kommunen"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contact

    pledge = factory.SubFactory(PledgeFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    role = "Kommunpolis"
    organisation = "Polisen"
    phone = "114 14"
    email = factory.Sequence(lambda n: f"kontakt{n}@polisen.se")


class PledgeExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PledgeExtension

    pledge = factory.SubFactory(PledgeFactory)
    previous_end_date = factory.LazyAttribute(lambda o: o.pledge.end_date)
    new_end_date = factory.LazyAttribute(lambda o: o.pledge.end_date + datetime.timedelta(days=90))
    reason = "Arbetet fortsätter till sommaren."


class PledgeDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PledgeDecision

    pledge = factory.SubFactory(PledgeFactory)
    kind = models.PledgeDecision.Kind.values[0]
    text = "Beslut i kommunstyrelsen."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUp

    pledge = factory.SubFactory(PledgeFactory)
    date = factory.LazyFunction(timezone.localdate)
    title = "Uppföljning våren"
    summary = "Arbetet går enligt plan."
    # Approved by both parties, so published, unless a test passes None
    # (pledges.services.approve_follow_up records real approvals).
    police_approved_at = factory.LazyFunction(timezone.now)
    municipality_approved_at = factory.LazyFunction(timezone.now)


class FollowUpNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUpNote

    follow_up = factory.SubFactory(FollowUpFactory)
    commitment = factory.SubFactory(
        CommitmentFactory, pledge=factory.SelfAttribute("..follow_up.pledge")
    )
    note = "Fotpatrulleringarna har ökat under kvällstid."


def kungalv_like_pledge(*, start=None, end=None, achieved=(137, 9), **pledge_kwargs):
    """A löfte shaped like Kungälv's 2018 seed: focus places, three focus areas and numeric
    targets ("minst 200 tillfällen" foot patrols, "minst 20 trafikkontroller")."""
    start = start or timezone.localdate() - datetime.timedelta(days=164)
    end = end or start + datetime.timedelta(days=364)
    pledge = PledgeFactory(
        start_date=start,
        end_date=end,
        title="Trygg i Kungälv",
        goals="öka tryggheten\nförebygga brott\nstärka förtroendet för polisen",
        focus_places="Nordmannatorget\nKomarken",
        background="Boende har lyft fram Nordmannatorget och Komarken i trygghetsmätningar.",
        follow_up_schedule="två gånger per år",
        source_url="https://www.kungalv.se/trygg",
        **pledge_kwargs,
    )
    safety = FocusAreaFactory(pledge=pledge, title="Insatser för ökad trygghet", order=1)
    traffic = FocusAreaFactory(pledge=pledge, title="Trafik", order=2)
    FocusAreaFactory(pledge=pledge, title="Brottsaktiva", order=3)
    patrols = CommitmentFactory(
        pledge=pledge,
        focus_area=safety,
        text=(
            "Fler poliser på Nordmannatorget och i Komarken som fotpatrullerar vid minst "
            "200 tillfällen under året."
        ),
        target_quantity=200,
        target_unit="fotpatrulleringar",
        places="Nordmannatorget\nKomarken",
    )
    controls = CommitmentFactory(
        pledge=pledge,
        focus_area=traffic,
        text="Minst 20 trafikkontroller.",
        target_quantity=20,
        target_unit="trafikkontroller",
    )
    walks = CommitmentFactory(
        pledge=pledge,
        focus_area=safety,
        text="Två trygghetsvandringar ska genomföras.",
        responsible_police=False,
        responsible_municipality=True,
        responsible_note="med flera",
        target_quantity=2,
        target_unit="trygghetsvandringar",
    )
    day = min(end, timezone.localdate())
    for commitment, quantity in zip((patrols, controls), achieved, strict=True):
        if quantity:
            ActivityFactory(commitment=commitment, quantity=quantity, date=day)
    return pledge, patrols, controls, walks


def tanum_2017_pledge(**pledge_kwargs):
    """Tanum 2017: a weekly mobile police office, "minst en dag i veckan" → 52 expected."""
    pledge = PledgeFactory(
        title="Medborgarlöfte Tanum 2017",
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2017, 12, 31),
        **pledge_kwargs,
    )
    office = CommitmentFactory(
        pledge=pledge,
        text="Den mobila polisstationen finns i Tanum minst en dag i veckan.",
        target_kind=models.Commitment.TargetKind.RECURRING,
        target_quantity=1,
        interval=models.Commitment.Interval.WEEK,
        target_unit="dagar",
        outcome=models.Commitment.Outcome.PARTLY,
        outcome_explanation="Stationen stod i Tanum de veckor bilen inte behövdes på annat håll.",
    )
    return pledge, office


def lysekil_like_pledge(**pledge_kwargs):
    """Lysekil 2021–2022: qualitative commitments with a status, partners, ended."""
    pledge = PledgeFactory(
        title="Medborgarlöfte Lysekil 2021–2022",
        start_date=datetime.date(2021, 4, 1),
        end_date=datetime.date(2022, 12, 31),
        **pledge_kwargs,
    )
    partner = PartnerFactory(name="Räddningstjänsten Mitt Bohuslän")
    pledge.partners.add(partner)
    qualitative = models.Commitment.TargetKind.QUALITATIVE
    done = CommitmentFactory(
        pledge=pledge,
        text="Samverka kring ungdomar i riskzon genom EST.",
        target_kind=qualitative,
        target_quantity=None,
        target_unit="",
        status=models.Commitment.Status.DONE,
        outcome=models.Commitment.Outcome.FULFILLED,
    )
    dropped = CommitmentFactory(
        pledge=pledge,
        text="Utveckla trygghetsvärdar i centrum.",
        target_kind=qualitative,
        target_quantity=None,
        target_unit="",
        status=models.Commitment.Status.NOT_DONE,
        outcome=models.Commitment.Outcome.NOT_FULFILLED,
        outcome_explanation="Finansieringen uteblev när projektet skulle starta.",
    )
    done.responsible_partners.add(partner)
    return pledge, done, dropped


# --- dialogues ---
from dialogues import models as dialogue_models  # noqa: E402


class FeedbackCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.FeedbackCategory
        django_get_or_create = ("name",)

    name = "Otrygg plats"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.Feedback

    municipality = factory.SubFactory(MunicipalityFactory)
    category = factory.SubFactory(FeedbackCategoryFactory)
    place = "Nordmannatorget"
    text = "Mörkt och otryggt på kvällarna."
    reference = factory.Sequence(lambda n: f"SYN-2026-{9000 + n}")


class SafetyWalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.SafetyWalk

    municipality = factory.SubFactory(MunicipalityFactory)
    area = factory.Sequence(lambda n: f"Område {n}")
    meeting_point = "Torget"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    organisers = "Kommunen och polisen"


class WalkSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.WalkSignup

    walk = factory.SubFactory(SafetyWalkFactory)
    name = "Anna Andersson"
    email = "anna@example.se"
    people = 1


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.Finding

    walk = factory.SubFactory(SafetyWalkFactory, status="held")
    place = "Gångtunneln"
    category = dialogue_models.Finding.Category.LIGHTING


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = dialogue_models.Dialogue

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Dialogmöte {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    format = dialogue_models.Dialogue.Format.MEETING


def ensure_feedback_categories():
    """The categories the data migration seeds; transactional tests flush them away."""
    from importlib import import_module

    seeded = import_module("dialogues.migrations.0002_seed_feedback_categories").CATEGORIES
    for order, name in enumerate(seeded, start=1):
        dialogue_models.FeedbackCategory.objects.get_or_create(
            name=name, defaults={"order": order * 10}
        )
