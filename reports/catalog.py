"""The open-data catalogue in DCAT-AP-SE, the Swedish profile of DCAT-AP that Sveriges
dataportal harvests: one `dcat:Dataset` per resource in `reports.resources`, each with a
JSON distribution (the API) and, where there is one, a CSV distribution.

Built as an RDF graph with rdflib and serialised as RDF/XML or JSON-LD, never by string
templates, so that the output is well-formed whatever the titles contain.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from core.siteurl import site_url
from reports.resources import RESOURCES, Filters

EU = "http://publications.europa.eu/resource/authority/"
THEME = URIRef(EU + "data-theme/JUST")  # justice, legal system and public safety
THEME_TAXONOMY = URIRef(EU + "data-theme")
SWEDEN = URIRef(EU + "country/SWE")
LANGUAGES = (URIRef(EU + "language/SWE"), URIRef(EU + "language/ENG"))
PUBLIC = URIRef(EU + "access-right/PUBLIC")
CONTINUOUS = URIRef(EU + "frequency/UPDATE_CONT")
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
IANA = "https://www.iana.org/assignments/media-types/"
FORMATS = {
    "json": (URIRef(IANA + "application/json"), URIRef(EU + "file-type/JSON")),
    "csv": (URIRef(IANA + "text/csv"), URIRef(EU + "file-type/CSV")),
}
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

CATALOGUE_TITLE = {
    "sv": "Medborgarlöften – öppna data",
    "en": "Citizen pledges – open data",
}
CATALOGUE_DESCRIPTION = {
    "sv": (
        "Medborgarlöften från polisen och kommunerna: löften, åtaganden med mål och hur "
        "långt de har kommit, genomförda insatser, trygghetsvandringar och deras "
        "iakttagelser. Utkast, interna anteckningar och personuppgifter finns aldrig med. "
        "Poster märkta is_example (exempel) är påhittade exempel, inte verkliga uppgifter."
    ),
    "en": (
        "Citizen pledges (medborgarlöften) by the Swedish police and the municipalities: "
        "pledges, commitments with targets and progress, activities carried out, safety "
        "walks and their findings. Drafts, internal notes and personal data are never "
        "included. Records marked is_example (exempel) are invented examples, not real data."
    ),
}


def in_both_languages(graph, subject, predicate, text):
    """`text` is a lazy translation; it is added in Swedish and in English."""
    for language in ("sv", "en"):
        with override(language):
            graph.add((subject, predicate, Literal(str(text), lang=language)))


def last_changes():
    """{resource key: its data's last change or None}: one aggregate query per resource
    that has such dates."""
    everything = Filters()
    return {
        resource.key: resource.last_change(resource.queryset(everything)) for resource in RESOURCES
    }


def build(request):
    """The catalogue as an rdflib Graph, with addresses on the site's (SITE_URL)."""
    base = site_url("")
    page = base + reverse("reports:open_data")
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("adms", ADMS)

    publisher = URIRef(settings.OPEN_DATA_PUBLISHER_URL or base + "/")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER_NAME)))

    contact = URIRef(page + "#kontakt")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER_NAME)))
    if settings.OPEN_DATA_CONTACT_EMAIL:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + settings.OPEN_DATA_CONTACT_EMAIL)))
    graph.add((contact, VCARD.hasURL, URIRef(base + reverse("about"))))

    catalogue = URIRef(page + "#katalog")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for language, text in CATALOGUE_TITLE.items():
        graph.add((catalogue, DCTERMS.title, Literal(text, lang=language)))
    for language, text in CATALOGUE_DESCRIPTION.items():
        graph.add((catalogue, DCTERMS.description, Literal(text, lang=language)))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, CC0))
    graph.add((catalogue, FOAF.homepage, URIRef(page)))
    graph.add((catalogue, DCAT.themeTaxonomy, THEME_TAXONOMY))
    graph.add((catalogue, DCTERMS.spatial, SWEDEN))
    for language in LANGUAGES:
        graph.add((catalogue, DCTERMS.language, language))

    changes = last_changes()
    for resource in RESOURCES:
        dataset = URIRef(f"{page}#{resource.name}")
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        in_both_languages(graph, dataset, DCTERMS.title, resource.title)
        in_both_languages(graph, dataset, DCTERMS.description, resource.description)
        graph.add((dataset, DCTERMS.identifier, Literal(f"{page}#{resource.name}")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((dataset, DCAT.theme, THEME))
        graph.add((dataset, DCTERMS.spatial, SWEDEN))
        graph.add((dataset, DCTERMS.accessRights, PUBLIC))
        graph.add((dataset, DCTERMS.accrualPeriodicity, CONTINUOUS))
        graph.add((dataset, DCAT.landingPage, URIRef(page)))
        for language in LANGUAGES:
            graph.add((dataset, DCTERMS.language, language))
        if changes[resource.key]:
            modified = Literal(changes[resource.key].isoformat(), datatype=XSD.dateTime)
            graph.add((dataset, DCTERMS.modified, modified))

        api = base + reverse(f"reports:api_{resource.key}")
        distributions = [("json", api, None)]
        if resource.columns:
            csv = base + reverse(f"reports:csv_{resource.key}")
            distributions.append(("csv", csv, csv))
        for kind, access, download in distributions:
            distribution = URIRef(f"{page}#{resource.name}-{kind}")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            media_type, file_type = FORMATS[kind]
            for language in ("sv", "en"):
                with override(language):
                    label = "API (JSON)" if kind == "json" else "CSV"
                    title = f"{resource.title} – {label}"
                graph.add((distribution, DCTERMS.title, Literal(title, lang=language)))
            graph.add((distribution, DCAT.accessURL, URIRef(access)))
            if download:
                graph.add((distribution, DCAT.downloadURL, URIRef(download)))
            graph.add((distribution, DCAT.mediaType, media_type))
            graph.add((distribution, DCTERMS.format, file_type))
            graph.add((distribution, DCTERMS.license, CC0))
            graph.add((distribution, ADMS.status, URIRef(EU + "distribution-status/COMPLETED")))
            if kind == "json":
                openapi = URIRef(base + reverse("reports:openapi"))
                graph.add((distribution, DCTERMS.conformsTo, openapi))
                graph.add((distribution, FOAF.page, URIRef(page)))

    known = [change for change in changes.values() if change]
    if known:
        modified = Literal(max(known).isoformat(), datatype=XSD.dateTime)
        graph.add((catalogue, DCTERMS.modified, modified))
    return graph
