"""Synthetic national-scale data: every kommun, many years, a million activities.

Used by `manage.py generate_scale_data` and the benchmark (bench/). It only ever ADDS rows
around what is there: kommuner that already have a löfte of their own (the demo data) get
none, existing police areas are reused, and every generated row is marked as example data
(`Pledge.is_demo`, `Activity.is_example`) so that pages say so.

Determinism: each (kommun, year) draws from its own `random.Random` seeded from the seed,
the kommunkod and the year, so a löfte comes out the same whatever else exists or was
skipped. Idempotency: generated löften have the slug `skala-<year>`; a kommun that already
has that slug for a year is skipped (with its activities), so a second run adds nothing.

Writes use `bulk_create` in batches (no model `save()`, no signals, no history rows): that
is what makes a million activities take minutes rather than hours. Each model group has its
own function. `write_dialogues` adds trygghetsvandringar (held ones with findings of every
category and status, and the one activity a held walk counts as on its commitment, as
`dialogues.services.sync_walk_activity` would make it) and synpunkter without any personal
data, some published with an edited text and a reply.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dialogues.models import Feedback, FeedbackCategory, Finding, Organisation, SafetyWalk
from pagecache.versions import REFERENCE, bump
from pledges.dates import local_datetime
from pledges.kinds import suggest_kind
from pledges.models import (
    Activity,
    Commitment,
    Contact,
    FocusArea,
    FollowUp,
    FollowUpNote,
    Municipality,
    Partner,
    Pledge,
    PoliceArea,
    Signatory,
)

SLUG_PREFIX = "skala-"
POLICE_AREA_SLUG_PREFIX = "skala-lpo-"
BATCH_SIZE = 5000

# --- What a generated löfte is made of --------------------------------------------------

TITLES = [
    "Trygg i {municipality}",
    "Medborgarlöfte {municipality} {year}",
    "Tillsammans för ett tryggare {municipality}",
    "Ett tryggare {municipality}",
]

FOCUS_PLACES = [
    "Resecentrum",
    "Torget",
    "Centrumhuset",
    "Stationsområdet",
    "Idrottsplatsen",
    "Stadsparken",
    "Gästhamnen",
    "Busstationen",
    "Skolgården vid Centralskolan",
    "Köpcentrumet",
    "Folkets park",
    "Badplatsen",
]

PARTNERS = [
    "Räddningstjänsten",
    "Fastighetsägarna",
    "Kollektivtrafiken",
    "Kriminalvården",
    "Svenska kyrkan",
    "Föreningslivet",
    "Nattvandrarna",
    "Bostadsbolaget",
]

# (focus area title, description, [commitment templates]). A template is
# (kind, text, unit, quantity range, interval, places?) — text has {n} and {place}.
FOCUS_AREAS = [
    (
        "Trygga offentliga miljöer",
        "Platser där invånare i trygghetsmätningen säger att de känner sig otrygga.",
        [
            (
                "count",
                "Polisen genomför minst {n} fotpatrulleringar vid {place}.",
                "fotpatrulleringar",
                (60, 240),
                "",
                True,
            ),
            (
                "recurring",
                "Kommunens trygghetsvärdar finns vid {place} minst {n} kvällar i veckan.",
                "kvällar",
                (1, 3),
                "week",
                True,
            ),
            (
                "count",
                "Kommunen och polisen genomför {n} trygghetsvandringar.",
                "trygghetsvandringar",
                (2, 4),
                "",
                False,
            ),
            ("milestone", "Belysningen vid {place} ses över och förbättras.", "", None, "", True),
            (
                "qualitative",
                "Kommunen åtgärdar klotter och skadegörelse inom 24 timmar.",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "Trafiksäkerhet",
        "Invånare har i medborgardialoger lyft hastigheter och mopeder.",
        [
            (
                "count",
                "Polisen genomför minst {n} hastighetskontroller.",
                "hastighetskontroller",
                (20, 80),
                "",
                False,
            ),
            (
                "recurring",
                "Polisen kontrollerar mopeder och EPA-traktorer minst {n} gånger i månaden.",
                "kontroller",
                (2, 6),
                "month",
                False,
            ),
            (
                "milestone",
                "Kommunen sätter upp hastighetsdisplayer vid {place}.",
                "",
                None,
                "",
                True,
            ),
            (
                "qualitative",
                "Kommunen och polisen följer upp trafikolyckor med skadade.",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "Ungdomar och droger",
        "Tidiga insatser för unga som riskerar att hamna i kriminalitet.",
        [
            (
                "count",
                "Polisen och socialtjänsten genomför minst {n} orosanmälningsmöten.",
                "möten",
                (10, 40),
                "",
                False,
            ),
            (
                "recurring",
                "Fältassistenter är ute i centrum minst {n} kvällar i veckan.",
                "kvällar",
                (1, 4),
                "week",
                True,
            ),
            (
                "milestone",
                "Information om narkotika skickas till samtliga föräldrar i årskurs 7.",
                "",
                None,
                "",
                False,
            ),
            (
                "qualitative",
                "Kommunen utvecklar arbetet med SSPF (skola, socialtjänst, polis, fritid).",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "Våld i nära relationer",
        "Fler ska våga anmäla, och stöd ska finnas tidigt.",
        [
            (
                "count",
                "Kommunen genomför {n} utbildningar om våld i nära relationer för personal.",
                "utbildningar",
                (4, 12),
                "",
                False,
            ),
            (
                "recurring",
                "Polisen och socialtjänsten håller samverkansmöte minst {n} gång i månaden.",
                "möten",
                (1, 2),
                "month",
                False,
            ),
            (
                "milestone",
                "En gemensam handlingsplan mot våld i nära relationer antas.",
                "",
                None,
                "",
                False,
            ),
            (
                "qualitative",
                "Polisen och kommunen samverkar kring skyddade boenden.",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "Brottsaktiva personer",
        "Ett fåtal personer står för en stor del av brotten.",
        [
            (
                "count",
                "Polisen följer upp minst {n} brottsaktiva personer med personlig kontakt.",
                "uppföljningar",
                (10, 60),
                "",
                False,
            ),
            (
                "recurring",
                "Polisen och kommunen håller lägesbildsmöte minst {n} gång i kvartalet.",
                "möten",
                (1, 2),
                "quarter",
                False,
            ),
            (
                "milestone",
                "En lokal lägesbild över brottsaktiva personer tas fram.",
                "",
                None,
                "",
                False,
            ),
            (
                "qualitative",
                "Kommunen erbjuder avhopparverksamhet i samverkan med Kriminalvården.",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "Tryggt i kollektivtrafiken",
        "Resecentrum och bussarna kvällstid.",
        [
            (
                "recurring",
                "Polisen patrullerar resecentrum minst {n} gånger i veckan.",
                "patrulleringar",
                (2, 5),
                "week",
                True,
            ),
            (
                "count",
                "Kollektivtrafiken och polisen genomför {n} gemensamma insatser.",
                "insatser",
                (6, 24),
                "",
                False,
            ),
            ("milestone", "Kameraövervakning vid {place} utreds.", "", None, "", True),
            (
                "qualitative",
                "Polisen och kollektivtrafiken delar lägesbild om otrygghet kvällstid.",
                "",
                None,
                "",
                False,
            ),
        ],
    ),
]

ACTIVITY_DESCRIPTIONS = [
    "Fotpatrullering kvällstid, lugnt på platsen.",
    "Insats tillsammans med kommunens trygghetsvärdar.",
    "Kontroll genomförd, några ordningsförelägganden.",
    "Samtal med ungdomar och näringsidkare.",
    "Genomfört enligt plan.",
    "Insats efter tips från invånare.",
    "Gemensam insats med räddningstjänsten.",
    "Helgpatrullering i centrum.",
    "",
]

OUTCOMES = ["fulfilled", "fulfilled", "fulfilled", "partly", "partly", "not_fulfilled"]
SHORTFALL_EXPLANATION = (
    "Resurserna räckte inte till under hösten på grund av prioriterade utredningar. "
    "Åtagandet finns kvar i nästa års löfte."
)


# --- Plan: what would be created (cheap; --dry-run stops here) ------------------------


@dataclass
class Plan:
    municipalities: list
    years: list
    skipped_with_own_pledges: list
    skipped_existing: int = 0
    new_police_areas: list = field(
        default_factory=list
    )  # [(name, slug, region_id, district, [mun])]
    area_for: dict = field(default_factory=dict)  # municipality id -> PoliceArea id or slug
    pairs: list = field(default_factory=list)  # [(municipality, year, activity quota)]
    built: list = field(default_factory=list)  # [(pledge, [commitments])] once written


def activity_quotas(total, n):
    """`total` split over `n` löften as evenly as possible (the first get the remainder)."""
    if n == 0:
        return []
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def make_plan(*, municipality_count, years, activities, today):
    own = set(
        Pledge.objects.exclude(slug__startswith=SLUG_PREFIX).values_list("municipality", flat=True)
    )
    all_munis = list(Municipality.objects.select_related("county").order_by("code"))
    skipped = [m for m in all_munis if m.pk in own]
    chosen = [m for m in all_munis if m.pk not in own][:municipality_count]
    year_list = list(range(today.year - years + 1, today.year + 1))

    plan = Plan(municipalities=chosen, years=year_list, skipped_with_own_pledges=skipped)

    # Police areas: reuse an existing one; kommuner without get a generated LPO shared by
    # up to two neighbours (same län, by code), as many real LPOs cover two kommuner.
    existing = {}
    for area_id, muni_id in PoliceArea.municipalities.through.objects.order_by(
        "policearea_id"
    ).values_list("policearea_id", "municipality_id"):
        existing.setdefault(muni_id, area_id)
    orphans = [m for m in chosen if m.pk not in existing]
    existing_area_slugs = set(
        PoliceArea.objects.filter(slug__startswith=POLICE_AREA_SLUG_PREFIX).values_list(
            "slug", flat=True
        )
    )
    group = []
    for muni in orphans + [None]:
        if group and (muni is None or muni.county_id != group[0].county_id or len(group) == 2):
            slug = f"{POLICE_AREA_SLUG_PREFIX}{group[0].code}"
            name = "Skala LPO " + "/".join(m.name for m in group)
            if slug not in existing_area_slugs:
                plan.new_police_areas.append(
                    (name, slug, group[0].county.police_region_id, group[0].county.name, group)
                )
            for m in group:
                plan.area_for[m.pk] = slug
            group = []
        if muni is not None:
            group.append(muni)
    for m in chosen:
        if m.pk in existing:
            plan.area_for[m.pk] = existing[m.pk]

    done = set(
        Pledge.objects.filter(slug__startswith=SLUG_PREFIX).values_list("municipality", "slug")
    )
    pairs = [(m, y) for m in chosen for y in year_list]
    for (m, y), quota in zip(pairs, activity_quotas(activities, len(pairs)), strict=True):
        if (m.pk, f"{SLUG_PREFIX}{y}") in done:
            plan.skipped_existing += 1
            continue
        plan.pairs.append((m, y, quota))
    return plan


# --- Build: one löfte's rows, in memory -------------------------------------------------


def rng_for(seed, municipality, year):
    return random.Random(f"{seed}:{municipality.code}:{year}")


def build_pledge(rng, municipality, year, area_id, today):
    start = datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    places = rng.sample(FOCUS_PLACES, 3)
    pledge = Pledge(
        municipality=municipality,
        police_area_id=area_id,
        title=rng.choice(TITLES).format(municipality=municipality.name, year=year),
        slug=f"{SLUG_PREFIX}{year}",
        start_date=start,
        end_date=end,
        introduction=(
            f"Polisen och {municipality.name} kommun lovar invånarna konkreta insatser för "
            f"ökad trygghet under {year}. (Exempeldata för prestandatester.)"
        ),
        background=(
            "Lägesbilden bygger på kommunens trygghetsmätning, medborgardialoger under våren "
            "och polisens egen bild av brottsligheten."
        ),
        goals="Fler ska känna sig trygga i centrum kvällstid.\nFärre ska utsättas för brott.",
        focus_places="\n".join(places),
        follow_up_schedule="två gånger per år",
        follow_up_description="Löftet följs upp i juni och december och redovisas här.",
        status=Pledge.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(year - 1, 12, 15, 9, 0)),
        is_demo=True,
    )
    focus_specs = rng.sample(FOCUS_AREAS, rng.randint(2, 4))
    # Every löfte gets all four target kinds: the first focus area holds one of each.
    focus_areas, commitments = [], []
    ended = end < today
    for order, (title, description, templates) in enumerate(focus_specs):
        focus = FocusArea(title=title, description=description, order=order)
        focus_areas.append(focus)
        count = min(len(templates), rng.randint(2, 4))
        chosen = rng.sample(templates, count)
        if order == 0:
            chosen = sorted(
                {t[0]: t for t in templates}.values(),
                key=lambda t: ["count", "recurring", "milestone", "qualitative"].index(t[0]),
            )
        for c_order, (kind, text, unit, qrange, interval, uses_place) in enumerate(chosen):
            quantity = rng.randint(*qrange) if qrange else None
            place = rng.choice(places) if uses_place else ""
            c = Commitment(
                text=text.format(n=quantity, place=place),
                kind=suggest_kind(text),
                responsible_police=rng.random() < 0.8,
                responsible_municipality=rng.random() < 0.7,
                places=place,
                target_kind=kind,
                target_quantity=quantity,
                target_unit=unit,
                interval=interval,
                order=c_order,
            )
            if not (c.responsible_police or c.responsible_municipality):
                c.responsible_police = True
            if kind == "milestone":
                if ended or rng.random() < 0.5:
                    c.completed_on = start + datetime.timedelta(days=rng.randint(30, 330))
                    if c.completed_on > today:
                        c.completed_on = None
                c.status = "done" if c.completed_on else "in_progress"
            elif kind == "qualitative":
                c.status = rng.choice(["in_progress", "in_progress", "done", "not_started"])
            if ended:
                c.outcome = rng.choice(OUTCOMES)
                if c.outcome in Commitment.OUTCOMES_NEEDING_EXPLANATION:
                    c.outcome_explanation = SHORTFALL_EXPLANATION
            commitments.append((focus, c))
    return pledge, focus_areas, commitments


def split_quota(rng, quota, commitments):
    """Spreads a löfte's activities over its measurable commitments, weighted by target."""
    measurable = [c for _, c in commitments if c.target_kind in ("count", "recurring")]
    if not measurable:
        return []
    weights = [
        (c.target_quantity or 1)
        * (52 if c.interval == "week" else 12 if c.interval else 1)
        * rng.uniform(0.6, 1.2)
        for c in measurable
    ]
    total = sum(weights)
    shares = [int(quota * w / total) for w in weights]
    shares[0] += quota - sum(shares)
    return list(zip(measurable, shares, strict=True))


# --- Write: one function per model group ------------------------------------------------


def write_police_areas(plan):
    created = PoliceArea.objects.bulk_create(
        [
            PoliceArea(name=name, slug=slug, region_id=region_id, police_district=district)
            for name, slug, region_id, district, _ in plan.new_police_areas
        ]
    )
    through = PoliceArea.municipalities.through
    by_slug = {a.slug: a for a in created}
    through.objects.bulk_create(
        [
            through(policearea_id=by_slug[slug].pk, municipality_id=m.pk)
            for _, slug, _, _, group in plan.new_police_areas
            for m in group
        ]
    )
    slugs = {v for v in plan.area_for.values() if isinstance(v, str)}
    ids = dict(PoliceArea.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    plan.area_for = {k: ids.get(v, v) for k, v in plan.area_for.items()}
    return len(created)


def write_pledges(plan, *, seed, today):
    """Löften, signatories, contacts, partners, focus areas, commitments, follow-ups.

    Returns the commitments that will get activities: (commitment id, start, end, places,
    share, rng) per commitment, in a deterministic order.
    """
    partners = {p.name: p for p in Partner.objects.filter(name__in=PARTNERS)}
    missing = [Partner(name=n) for n in PARTNERS if n not in partners]
    for p in Partner.objects.bulk_create(missing):
        partners[p.name] = p
    partner_list = [partners[n] for n in PARTNERS]

    built = []
    for muni, year, quota in plan.pairs:
        rng = rng_for(seed, muni, year)
        pledge, focus_areas, commitments = build_pledge(
            rng, muni, year, plan.area_for.get(muni.pk), today
        )
        built.append((rng, pledge, focus_areas, commitments, quota))

    Pledge.objects.bulk_create([b[1] for b in built], batch_size=BATCH_SIZE)
    extras = {"signatories": [], "contacts": [], "partners": [], "focus": []}
    PledgePartner = Pledge.partners.through
    for rng, pledge, focus_areas, _, _ in built:
        name = pledge.municipality.name
        extras["signatories"] += [
            Signatory(
                pledge=pledge,
                name="Lokalpolisområdeschef",
                title="Lokalpolisområdeschef",
                organisation="Polisen",
                order=0,
            ),
            Signatory(
                pledge=pledge,
                name="Kommunstyrelsens ordförande",
                title="Kommunstyrelsens ordförande",
                organisation=f"{name} kommun",
                order=1,
            ),
        ]
        extras["contacts"].append(
            Contact(
                pledge=pledge,
                name="Kommunpolisen",
                role="kommunpolis",
                organisation="Polisen",
                phone="114 14",
            )
        )
        for p in rng.sample(partner_list, rng.randint(0, 2)):
            extras["partners"].append(PledgePartner(pledge_id=pledge.pk, partner_id=p.pk))
        for focus in focus_areas:
            focus.pledge = pledge
            extras["focus"].append(focus)
    Signatory.objects.bulk_create(extras["signatories"], batch_size=BATCH_SIZE)
    Contact.objects.bulk_create(extras["contacts"], batch_size=BATCH_SIZE)
    PledgePartner.objects.bulk_create(extras["partners"], batch_size=BATCH_SIZE)
    FocusArea.objects.bulk_create(extras["focus"], batch_size=BATCH_SIZE)

    all_commitments = []
    for _, pledge, _, commitments, _ in built:
        for focus, c in commitments:
            c.pledge = pledge
            c.focus_area = focus
            all_commitments.append(c)
    Commitment.objects.bulk_create(all_commitments, batch_size=BATCH_SIZE)

    follow_ups, notes = [], []
    work = []

    def approved_at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))

    for rng, pledge, _, commitments, quota in built:
        for month, day, title in ((6, 30, "Uppföljning våren"), (12, 15, "Uppföljning hösten")):
            date = datetime.date(pledge.start_date.year, month, day)
            if date <= today:
                fu = FollowUp(
                    pledge=pledge,
                    date=date,
                    title=f"{title} {date.year}",
                    summary="Arbetet följer i stort sett planen.",
                    # Invented rounds of demo löften, published: approved by both on the day.
                    police_approved_at=approved_at(date),
                    municipality_approved_at=approved_at(date),
                )
                follow_ups.append((fu, [c for _, c in commitments]))
        last = min(pledge.end_date, today)
        for c, share in split_quota(rng, quota, commitments):
            if share:
                work.append(
                    (c.pk, pledge.start_date, last, c.places or pledge.focus_places, share, rng)
                )
    FollowUp.objects.bulk_create([f for f, _ in follow_ups], batch_size=BATCH_SIZE)
    for fu, cs in follow_ups:
        notes += [FollowUpNote(follow_up=fu, commitment=c, note="Enligt plan.") for c in cs[:3]]
    FollowUpNote.objects.bulk_create(notes, batch_size=BATCH_SIZE)
    plan.built = [(pledge, [c for _, c in commitments]) for _, pledge, _, commitments, _ in built]
    return {
        "pledges": len(built),
        "focus_areas": len(extras["focus"]),
        "commitments": len(all_commitments),
        "follow_ups": len(follow_ups),
    }, work


def activity_rows(work):
    """Yields unsaved Activity objects, one commitment at a time (never all in memory)."""
    for commitment_id, start, last, places, share, rng in work:
        days = (last - start).days + 1
        place_list = [p for p in places.splitlines() if p]
        for _ in range(share):
            yield Activity(
                commitment_id=commitment_id,
                date=start + datetime.timedelta(days=rng.randrange(days)),
                quantity=1,
                place=rng.choice(place_list) if place_list else "",
                description=rng.choice(ACTIVITY_DESCRIPTIONS),
                is_example=True,
            )


def write_activities(work, *, progress=None):
    batch, written = [], 0
    for activity in activity_rows(work):
        batch.append(activity)
        if len(batch) == BATCH_SIZE:
            Activity.objects.bulk_create(batch)
            written += len(batch)
            batch = []
            if progress and written % 100_000 == 0:
                progress(written)
    if batch:
        Activity.objects.bulk_create(batch)
        written += len(batch)
    return written


# --- Dialogues: walks, findings, synpunkter ----------------------------------------------

WALK_ORGANISERS = "Kommunen och polisen (exempeldata)"
FEEDBACK_PREFIX = "SKALA-"
WALK_MONTHS = (3, 4, 5, 9, 10, 11)
FINDING_PLACES = [
    "Gångtunneln under järnvägen",
    "Cykelvägen mot skolan",
    "Parkeringen bakom centrumhuset",
    "Busshållplatsen",
    "Lekplatsen",
    "Gångbron",
    "Parkstigen",
]
FINDING_TEXTS = {
    "lighting": "Trasig gatubelysning, mörkt på kvällen.",
    "vegetation": "Buskar skymmer sikten längs gångvägen.",
    "litter": "Mycket skräp och fulla papperskorgar.",
    "vandalism": "Klotter och krossat glas i väntkuren.",
    "traffic": "Bilar kör fort förbi övergångsstället.",
    "other": "Skylten till samlingsplatsen saknas.",
}
DECLINED_REASONS = [
    "Marken ägs av en privat fastighetsägare som kontaktats.",
    "Åtgärden ryms inte i årets budget; tas upp igen nästa år.",
]
FEEDBACK_TEXTS = [
    (
        "Det är mörkt och otryggt vid {place} på kvällarna.",
        "Kommunen har bytt armaturer och satt upp fler lampor.",
    ),
    (
        "Ungdomar samlas vid {place} sent på helgerna och det känns stökigt.",
        "Fältassistenter och polis finns på plats fredagar och lördagar.",
    ),
    (
        "Bilar kör för fort på gatan vid {place}.",
        "Polisen har gjort hastighetskontroller och kommunen utreder farthinder.",
    ),
    (
        "Mycket klotter och nedskräpning runt {place}.",
        "Kommunen sanerar klotter inom ett dygn och har tätare tömning.",
    ),
]


def dialogue_rng(seed, municipality, year):
    # Its own stream, so adding dialogues does not change the löften a seed gives.
    return random.Random(f"{seed}:dialogues:{municipality.code}:{year}")


def at_local(day, hour):
    return local_datetime(day, datetime.time(hour))


def build_walks(rng, pledge, commitments, today):
    """A löfte year's walks: (walk, activity or None, [findings]) each, unsaved."""
    walk_commitment = next(
        (c for c in commitments if c.target_unit == "trygghetsvandringar"),
        next((c for c in commitments if c.target_kind == "milestone"), None),
    )
    places = [p for p in pledge.focus_places.splitlines() if p] or FOCUS_PLACES[:3]
    categories = list(Finding.Category.values)
    statuses = list(Finding.Status.values)
    result = []
    for month in sorted(rng.sample(WALK_MONTHS, rng.randint(2, 4))):
        day = datetime.date(pledge.start_date.year, month, rng.randint(1, 28))
        area = rng.choice(places)
        held = day < today
        status = SafetyWalk.Status.PLANNED
        if held:
            status = SafetyWalk.Status.CANCELLED if rng.random() < 0.1 else SafetyWalk.Status.HELD
        walk = SafetyWalk(
            municipality=pledge.municipality,
            # Most walks are held under the löfte; a few are the kommun's own.
            commitment=walk_commitment if rng.random() < 0.8 else None,
            area=area,
            meeting_point=f"{area}, huvudentrén",
            starts_at=at_local(day, 18),
            ends_at=at_local(day, 20),
            organisers=WALK_ORGANISERS,
            accessibility="Rutten är cirka två kilometer på asfalt, utan trappor.",
            description="Vi går tillsammans och noterar vad som känns otryggt.",
            capacity=rng.choice([None, 20, 30]),
            status=status,
            is_example=True,
        )
        activity, findings = None, []
        if status == SafetyWalk.Status.HELD:
            walk.participants = rng.randint(6, 35)
            walk.report = (
                "Deltagarna pekade ut platser med dålig belysning och skymd sikt. "
                "(Exempeldata för prestandatester.)"
            )
            for i in range(rng.randint(2, 7)):
                # Cycling the lists first makes every category and status occur.
                category = categories[(len(result) + i) % len(categories)]
                finding_status = statuses[i % len(statuses)] if i < 3 else rng.choice(statuses)
                finding = Finding(
                    place=rng.choice(FINDING_PLACES),
                    category=category,
                    description=FINDING_TEXTS[category],
                    responsible=rng.choice(Organisation.values),
                    status=finding_status,
                    due_date=day + datetime.timedelta(days=rng.randint(30, 120)),
                )
                if finding_status == Finding.Status.FIXED:
                    finding.fixed_on = min(today, day + datetime.timedelta(days=rng.randint(7, 90)))
                elif finding_status == Finding.Status.DECLINED:
                    finding.declined_reason = rng.choice(DECLINED_REASONS)
                findings.append(finding)
            if walk.commitment is not None:
                # The same text as dialogues.services.sync_walk_activity writes.
                description = gettext("Trygghetsvandring: %(area)s") % {"area": area}
                description += " " + gettext("(%(count)s deltagare)") % {"count": walk.participants}
                activity = Activity(
                    commitment=walk.commitment,
                    date=day,
                    quantity=1,
                    place=area[:200],
                    description=description,
                    is_example=True,
                )
        result.append((walk, activity, findings))
    return result


def build_feedback(rng, pledge, categories, today):
    """A löfte year's synpunkter: no name, e-mail, phone or IP; some published."""
    year = pledge.start_date.year
    places = [p for p in pledge.focus_places.splitlines() if p] or FOCUS_PLACES[:3]
    last = min(pledge.end_date, today)
    days = (last - pledge.start_date).days + 1
    rows = []
    if days <= 0:
        return rows
    for i in range(rng.randint(3, 9)):
        text, reply = rng.choice(FEEDBACK_TEXTS)
        place = rng.choice(places)
        created = pledge.start_date + datetime.timedelta(days=rng.randrange(days))
        status = rng.choice(Feedback.Status.values)
        published = status == Feedback.Status.CLOSED and rng.random() < 0.6
        feedback = Feedback(
            municipality=pledge.municipality,
            category=rng.choice(categories),
            place=place,
            when_happens=rng.choice(["", "Kvällar", "Helger", "Hela dygnet"]),
            text=text.format(place=place) + " (Exempeldata för prestandatester.)",
            reference=f"{FEEDBACK_PREFIX}{year}-{pledge.municipality.code}-{i:03d}",
            status=status,
            routed_to=rng.choice(["", *Organisation.values]),
            reply=reply if status == Feedback.Status.CLOSED else "",
        )
        if published:
            feedback.is_published = True
            feedback.public_text = text.format(place=place)
            feedback.public_reply = reply
        rows.append((feedback, at_local(created, rng.randint(7, 22))))
    return rows


def write_dialogues(plan, *, seed, today):
    """Walks (with findings and their activities) and synpunkter for every löfte written by
    `write_pledges`, in bulk. Returns the counts."""
    categories = list(FeedbackCategory.objects.active().order_by("order", "name"))
    walks, activities, findings, feedback = [], [], [], []
    for pledge, commitments in plan.built:
        rng = dialogue_rng(seed, pledge.municipality, pledge.start_date.year)
        for walk, activity, walk_findings in build_walks(rng, pledge, commitments, today):
            walks.append((walk, activity, walk_findings))
            if activity is not None:
                activities.append(activity)
        if categories:
            feedback += build_feedback(rng, pledge, categories, today)
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    for walk, activity, _findings in walks:
        walk.activity = activity
    SafetyWalk.objects.bulk_create([w for w, _, _ in walks], batch_size=BATCH_SIZE)
    for walk, _activity, walk_findings in walks:
        for finding in walk_findings:
            finding.walk = walk
            findings.append(finding)
    Finding.objects.bulk_create(findings, batch_size=BATCH_SIZE)
    created = Feedback.objects.bulk_create([f for f, _ in feedback], batch_size=BATCH_SIZE)
    # `created_at` is auto_now_add, which bulk_create fills with "now"; the reports count
    # synpunkter by when they came in, so give them their dates (bulk_update does not
    # touch auto fields).
    for item, when in zip(created, (w for _, w in feedback), strict=True):
        item.created_at = when
    Feedback.objects.bulk_update(created, ["created_at"], batch_size=1000)
    return {
        "walks": len(walks),
        "findings": len(findings),
        "walk_activities": len(activities),
        "feedback": len(created),
    }


def generate(
    *, municipality_count, years, activities, seed, today=None, dry_run=False, progress=None
):
    """Adds the scale data; returns a dict of what was (or, dry-run, would be) created."""
    today = today or timezone.localdate()
    plan = make_plan(
        municipality_count=municipality_count, years=years, activities=activities, today=today
    )
    summary = {
        "kommuner": len(plan.municipalities),
        "skipped_with_own_pledges": [m.slug for m in plan.skipped_with_own_pledges],
        "skipped_existing_pledges": plan.skipped_existing,
        "police_areas": len(plan.new_police_areas),
        "pledges": len(plan.pairs),
        "activities": sum(q for _, _, q in plan.pairs),
    }
    if dry_run:
        return summary
    with transaction.atomic():
        summary["police_areas"] = write_police_areas(plan)
        counts, work = write_pledges(plan, seed=seed, today=today)
        summary.update(counts)
        summary["activities"] = write_activities(work, progress=progress)
        summary.update(write_dialogues(plan, seed=seed, today=today))
    return summary


def clear():
    """Deletes everything generate() made (and nothing else); returns the löften deleted.

    Raw deletes, child tables first: a cascading ORM delete of a million activities would
    load each one and write a history row for it.
    """
    with transaction.atomic():
        pledge_ids = Pledge.objects.filter(slug__startswith=SLUG_PREFIX, is_demo=True).values("pk")
        commitment_ids = Commitment.objects.filter(pledge__in=pledge_ids).values("pk")
        walks = SafetyWalk.objects.filter(is_example=True, organisers=WALK_ORGANISERS)
        for queryset in (
            Finding.objects.filter(walk__in=walks.values("pk")),
            walks,
            Feedback.objects.filter(reference__startswith=FEEDBACK_PREFIX),
            FollowUpNote.objects.filter(follow_up__pledge__in=pledge_ids),
            FollowUp.objects.filter(pledge__in=pledge_ids),
            Activity.objects.filter(commitment__in=commitment_ids),
            Commitment.responsible_partners.through.objects.filter(commitment__in=commitment_ids),
            Commitment.objects.filter(pledge__in=pledge_ids),
            FocusArea.objects.filter(pledge__in=pledge_ids),
            Signatory.objects.filter(pledge__in=pledge_ids),
            Contact.objects.filter(pledge__in=pledge_ids),
            Pledge.partners.through.objects.filter(pledge__in=pledge_ids),
        ):
            queryset._raw_delete(queryset.db)
        pledges = Pledge.objects.filter(slug__startswith=SLUG_PREFIX, is_demo=True)
        deleted = pledges._raw_delete(pledges.db)
        areas = PoliceArea.objects.filter(slug__startswith=POLICE_AREA_SLUG_PREFIX)
        # Only areas we made that no real löfte points at.
        areas = areas.exclude(pledges__isnull=False)
        PoliceArea.municipalities.through.objects.filter(policearea__in=areas)._raw_delete(
            PoliceArea.objects.db
        )
        areas._raw_delete(areas.db)
        # Raw deletes pass no model save(): move every page's version here.
        bump({REFERENCE})
    return deleted
