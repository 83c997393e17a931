"""Language of parts (WCAG 3.1.2): on the English pages, every text that staff or residents
wrote is Swedish, and must sit inside an element with lang="sv".

The demo world (every seed löfte, walks, findings, dialogues, synpunkter) is loaded, and a
distinctive Swedish marker is put in front of every stored text a public page may show.
Then the English version of every public page type is parsed (lxml) and every text node or
attribute holding the marker must have lang="sv" on itself or its nearest ancestor with a
lang attribute. Proper names (kommuner, police areas, people, organisations) are not
marked: a name is not in a language (WCAG 3.1.2's exception).
"""

import datetime
import io

import lxml.html
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat, Substr

from dialogues import services as dialogue_services
from dialogues.models import (
    Dialogue,
    Feedback,
    FeedbackCategory,
    Finding,
    SafetyWalk,
    WalkSignup,
)
from pledges.models import (
    Activity,
    Commitment,
    Contact,
    FocusArea,
    FollowUp,
    FollowUpNote,
    Municipality,
    Pledge,
    PledgeDecision,
    PledgeExtension,
    PoliceArea,
    Signatory,
)
from tests.factories import FeedbackFactory

MARKER = "Sjöbodsmärke"

# What staff and residents write, as a public page may show it.
STORED_TEXTS = {
    Pledge: [
        "title",
        "introduction",
        "background",
        "goals",
        "focus_places",
        "follow_up_schedule",
        "follow_up_description",
    ],
    PledgeExtension: ["reason"],
    PledgeDecision: ["text"],
    Signatory: ["title"],
    Contact: ["role"],
    FocusArea: ["title", "description"],
    Commitment: [
        "text",
        "short_text",
        "responsible_note",
        "places",
        "target_unit",
        "target_unit_singular",
        "outcome_explanation",
    ],
    Activity: ["place", "description"],
    FollowUp: ["title", "summary"],
    FollowUpNote: ["note"],
    FeedbackCategory: ["name"],
    Feedback: ["place", "when_happens", "public_text", "public_reply"],
    SafetyWalk: ["area", "meeting_point", "organisers", "accessibility", "description", "report"],
    Finding: ["place", "description", "declined_reason"],
    Dialogue: ["title", "place", "description", "outcome"],
}


def _mark_stored_texts():
    """Puts MARKER in front of every non-empty stored text (a plain UPDATE: the page
    cache is emptied afterwards instead of moving the content versions)."""
    for model, fields in STORED_TEXTS.items():
        for name in fields:
            field = model._meta.get_field(name)
            value = Concat(Value(f"{MARKER} "), F(name), output_field=field)
            if isinstance(field, CharField):
                value = Substr(value, 1, field.max_length, output_field=field)
            model.objects.exclude(Q(**{name: ""})).update(**{name: value})
    cache.clear()


@pytest.fixture
def marked_world(reference_data, settings):
    settings.SYNPUNKT_MIN_SECONDS = 0
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    walk = SafetyWalk.objects.filter(starts_at__gte=datetime.datetime.now(datetime.UTC)).first()
    signup = WalkSignup.objects.create(walk=walk, name="Anna Andersson", email="anna@example.se")
    feedback = FeedbackFactory(
        municipality=Municipality.objects.get(slug="kungalv"),
        category=FeedbackCategory.objects.first(),
        place="Stationsparken",
        when_happens="På kvällarna",
        text="Det är mörkt vid stationen.",
        is_published=True,
        public_text="Mörkt vid stationen på kvällarna.",
        public_reply="Kommunen ser över belysningen.",
        status=Feedback.Status.choices[-1][0],
    )
    _mark_stored_texts()
    return {"signup": signup, "feedback": feedback}


def _public_urls(world):
    urls = ["/", "/oppna-data/"]
    pledges = Pledge.objects.public().select_related("municipality")
    for slug in pledges.values_list("municipality__slug", flat=True).distinct():
        urls += [
            f"/kommun/{slug}/",
            f"/kommun/{slug}/synpunkt/",
            f"/kommun/{slug}/synpunkter/",
            f"/kommun/{slug}/trygghetsvandringar/",
            f"/kommun/{slug}/dialoger/",
            f"/kommun/{slug}/folj/",
            f"/kommun/{slug}/bevaka/",
        ]
    for pledge in pledges:
        urls.append(pledge.get_absolute_url())
        commitments = Commitment.objects.filter(pledge=pledge).order_by("order", "pk")
        # A commitment of each kind of target is enough: the page type is the same.
        seen = set()
        for commitment in commitments:
            if commitment.target_kind not in seen or commitment.outcome:
                seen.add(commitment.target_kind)
                urls.append(f"{pledge.get_absolute_url()}atagande/{commitment.pk}/")
    for area in PoliceArea.objects.filter(pledges__in=pledges).distinct():
        urls.append(area.get_absolute_url())
    urls += [f"/trygghetsvandring/{pk}/" for pk in SafetyWalk.objects.values_list("pk", flat=True)]
    urls.append(f"/trygghetsvandring/anmalan/{dialogue_services.signup_token(world['signup'])}/")
    feedback = world["feedback"]
    urls.append(
        f"/kommun/{feedback.municipality.slug}/synpunkt/kvitto/"
        f"{dialogue_services.receipt_token(feedback)}/"
    )
    return list(dict.fromkeys(urls))


def _language_of(element):
    while element is not None:
        lang = element.get("lang")
        if lang is not None:
            return lang
        element = element.getparent()
    return None


def unmarked_swedish(html):
    """Snippets of stored text on the page that are not inside lang="sv"."""
    tree = lxml.html.document_fromstring(html)
    body = tree.find("body")
    problems = []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        # An element's own text belongs to it, its tail to its parent.
        pieces = [(element.text, element), (element.tail, element.getparent())]
        pieces += [(value, element) for value in element.attrib.values()]
        for text, owner in pieces:
            if text and MARKER in text and owner is not None and _language_of(owner) != "sv":
                problems.append(f"<{owner.tag}> {' '.join(text.split())[:80]!r}")
    return problems


def test_stored_swedish_is_marked_on_every_english_page(client, marked_world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    failures = {}
    checked = 0
    marked_pages = 0
    for url in _public_urls(marked_world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if "text/html" not in response["Content-Type"]:
            continue
        assert '<html lang="en"' in response.text, url
        # /tillganglighet/ says the public pages carry no JavaScript.
        assert "<script" not in response.text, url
        checked += 1
        marked_pages += MARKER in response.text
        problems = unmarked_swedish(response.text)
        if problems:
            failures[url] = problems
    assert checked > 30 and marked_pages > 20
    assert not failures, "\n".join(
        f"{url}:\n  " + "\n  ".join(problems) for url, problems in failures.items()
    )


def test_the_english_walk_page_marks_its_accessibility_text(client, reference_data):
    municipality = Municipality.objects.get(slug="kungalv")
    walk = SafetyWalk.objects.create(
        municipality=municipality,
        area=f"{MARKER} området",
        meeting_point="Torget",
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
        organisers=f"{MARKER} arrangörer",
        accessibility=f"{MARKER} tillgänglighet: ramp vid entrén",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(f"/trygghetsvandring/{walk.pk}/").text
    assert "ramp vid entrén" in text
    assert unmarked_swedish(text) == []


def test_the_checker_finds_unmarked_text():
    page = (
        f'<html lang="en"><body><p lang="sv">{MARKER} ok</p>'
        f'<p>Organisers: {MARKER} fel</p><img alt="{MARKER}"></body></html>'
    )
    assert len(unmarked_swedish(page)) == 2
