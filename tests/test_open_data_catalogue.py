"""The API's OpenAPI 3.1 description and the DCAT-AP-SE catalogue (issue 18)."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from rdflib import Graph, URIRef
from rdflib import namespace as ns  # not its names: pytest would probe them at collection

from pledges.progress import State
from reports.catalog import VCARD
from reports.resources import RESOURCES
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")


def api_v1_routes():
    """Every URL pattern under api/v1/, as a path in OpenAPI's spelling (`{value}`)."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("api/v1/"):
                    routes.append("/" + route.replace("<str:value>", "{value}"))

    walk(get_resolver().url_patterns, "")
    return routes


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_openapi_is_valid_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any deviation from the OpenAPI 3.1 schema


def test_openapi_has_no_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/openapi.json").status_code == 200


def test_openapi_describes_every_api_url_and_csv(spec):
    routes = api_v1_routes()
    # A list and a record per resource, the index, the OpenAPI document and the national
    # picture (/api/v1/nationellt/).
    assert len(routes) == 2 * len(RESOURCES) + 3
    for route in routes:
        assert route in spec["paths"], route
    for resource in RESOURCES:
        if resource.columns:
            csv = spec["paths"][f"/oppna-data/{resource.name}.csv"]["get"]
            assert "text/csv" in csv["responses"]["200"]["content"]


def test_openapi_parameters_and_errors(spec):
    operation = spec["paths"]["/api/v1/aktiviteter/"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names == ["kommun", "lokalpolisomrade", "fran", "till", "sida", "per_sida"]
    till = next(p for p in operation["parameters"] if p["name"] == "till")
    assert "Insatser med datum inom perioden" in till["description"]
    bad = operation["responses"]["400"]["content"]["application/json"]["example"]["error"]
    assert "ÅÅÅÅ-MM-DD" in bad
    assert set(operation["responses"]["200"]["headers"]) == {"ETag", "Last-Modified"}
    assert "304" in operation["responses"]
    assert spec["info"]["license"]["url"].startswith("https://creativecommons.org/publicdomain")


def test_examples_name_described_fields(spec):
    for resource in RESOURCES:
        schema = spec["components"]["schemas"][resource.key.capitalize()]
        for path, example in resource.examples.items():
            node = schema
            for name in path.split("."):
                node = node.get("items", node)["properties"][name]
            assert node["examples"] == [example], (resource.name, path)


def test_commitment_state_is_described_with_its_swedish_labels(client, spec):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # described in Swedish all the same
    english = client.get("/api/v1/openapi.json").json()
    for document in (spec, english):
        schema = document["components"]["schemas"]["Commitments"]
        state = schema["properties"]["progress"]["properties"]["state"]
        assert state["enum"] == list(State.LABELS)
        for code, label in (("on_track", "I fas"), ("no_outcome", "Utfall ej redovisat")):
            assert f"{code} = {label}" in state["description"]
        assert "fulfilled, partly, not_fulfilled, no_outcome" in state["description"]
    columns = spec["paths"]["/oppna-data/ataganden.csv"]["get"]["description"]
    assert "lage_kod, lage" in columns


def test_bad_date_gives_the_documented_400(client, spec):
    response = client.get("/api/v1/aktiviteter/", {"fran": "2026-02-30"})
    assert response.status_code == 400
    operation = spec["paths"]["/api/v1/aktiviteter/"]["get"]
    example = operation["responses"]["400"]["content"]["application/json"]["example"]
    assert response.json() == example


def test_every_field_of_real_responses_is_described(client, dialogue_world, spec):
    for resource in RESOURCES:
        schema = spec["components"]["schemas"][resource.key.capitalize()]
        validator = Draft202012Validator(schema)
        data = client.get(f"/api/v1/{resource.name}/").json()
        assert data["results"], resource.name
        page_schema = spec["components"]["schemas"]["Page"]
        assert set(data) == set(page_schema["properties"])
        for record in data["results"]:
            # additionalProperties is false at every level: an undescribed field fails.
            errors = [error.message for error in validator.iter_errors(record)]
            assert not errors, (resource.name, errors)


def catalogue(client, suffix="rdf", rdf_format="xml"):
    response = client.get(f"/oppna-data/katalog.{suffix}")
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content, format=rdf_format)
    return response, graph


def one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert values, (subject, predicate)
    return values[0]


def languages(graph, subject, predicate):
    return {literal.language for literal in graph.objects(subject, predicate)}


def test_catalogue_has_the_mandatory_dcat_ap_se_properties(client, world, settings):
    settings.OPEN_DATA_PUBLISHER_NAME = "Polismyndigheten"
    settings.OPEN_DATA_PUBLISHER_URL = "https://polisen.se/"
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@example.se"
    response, graph = catalogue(client)
    assert response["Content-Type"].startswith("application/rdf+xml")
    catalogues = list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert len(catalogues) == 1
    catalogue_node = catalogues[0]
    # Catalogue: title, description, publisher, dataset (mandatory); licence, homepage.
    assert languages(graph, catalogue_node, ns.DCTERMS.title) == {"sv", "en"}
    assert languages(graph, catalogue_node, ns.DCTERMS.description) == {"sv", "en"}
    publisher = one(graph, catalogue_node, ns.DCTERMS.publisher)
    assert publisher == URIRef("https://polisen.se/")
    assert str(one(graph, publisher, ns.FOAF.name)) == "Polismyndigheten"
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert one(graph, catalogue_node, ns.DCTERMS.license) == CC0
    assert one(graph, catalogue_node, ns.FOAF.homepage)
    datasets = set(graph.objects(catalogue_node, ns.DCAT.dataset))
    assert len(datasets) == len(RESOURCES)
    for dataset in datasets:
        assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
        # Dataset: title, description (Swedish and English), publisher, contact point.
        assert languages(graph, dataset, ns.DCTERMS.title) == {"sv", "en"}
        assert languages(graph, dataset, ns.DCTERMS.description) == {"sv", "en"}
        assert one(graph, dataset, ns.DCTERMS.publisher) == publisher
        contact = one(graph, dataset, ns.DCAT.contactPoint)
        assert str(one(graph, contact, VCARD.fn))
        assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@example.se")
        assert str(one(graph, dataset, ns.DCAT.theme)).endswith("/data-theme/JUST")
        assert str(one(graph, dataset, ns.DCTERMS.spatial)).endswith("/country/SWE")
        distributions = list(graph.objects(dataset, ns.DCAT.distribution))
        assert distributions
        for distribution in distributions:
            # Distribution: access URL (mandatory); licence, format, media type.
            assert (distribution, ns.RDF.type, ns.DCAT.Distribution) in graph
            access = str(one(graph, distribution, ns.DCAT.accessURL))
            assert access.startswith("http://testserver/")
            assert client.get(access.removeprefix("http://testserver")).status_code == 200
            assert one(graph, distribution, ns.DCTERMS.license) == CC0
            assert one(graph, distribution, ns.DCTERMS.format)
            assert str(one(graph, distribution, ns.DCAT.mediaType)).startswith(
                "https://www.iana.org/assignments/media-types/"
            )
    titles = {
        str(title)
        for dataset in datasets
        for title in graph.objects(dataset, ns.DCTERMS.title)
        if title.language == "en"
    }
    assert "Safety walks" in titles and "Commitments" in titles
    csv_downloads = list(graph.objects(None, ns.DCAT.downloadURL))
    assert len(csv_downloads) == sum(1 for resource in RESOURCES if resource.columns)


def test_default_publisher_is_the_portal_itself(client, db):
    _response, graph = catalogue(client)
    catalogue_node = next(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert one(graph, catalogue_node, ns.DCTERMS.publisher) == URIRef("http://testserver/")
    contact = next(graph.objects(None, ns.DCAT.contactPoint))
    assert str(one(graph, contact, VCARD.hasURL)) == "http://testserver/om/"


def test_json_ld_is_the_same_graph(client, world):
    _response, rdf_xml = catalogue(client)
    response, json_ld = catalogue(client, "jsonld", "json-ld")
    assert response["Content-Type"].startswith("application/ld+json")
    json.loads(response.content)
    assert len(json_ld) == len(rdf_xml)
    assert set(json_ld.subjects(ns.RDF.type, ns.DCAT.Dataset)) == set(
        rdf_xml.subjects(ns.RDF.type, ns.DCAT.Dataset)
    )


def modified(graph, name):
    dataset = URIRef(f"http://testserver/oppna-data/#{name}")
    return one(graph, dataset, ns.DCTERMS.modified).toPython()


def test_modified_moves_when_an_activity_is_logged(client, world):
    _response, before = catalogue(client)
    catalogue_node = next(before.subjects(ns.RDF.type, ns.DCAT.Catalog))
    earlier = modified(before, "aktiviteter")
    later = timezone.now() + datetime.timedelta(minutes=5)
    activity = ActivityFactory(commitment=world["patrols"])
    type(activity).objects.filter(pk=activity.pk).update(updated_at=later)
    _response, after = catalogue(client)
    assert modified(after, "aktiviteter") > earlier
    assert modified(after, "aktiviteter") == later
    assert one(after, catalogue_node, ns.DCTERMS.modified).toPython() == later


def test_catalogue_query_count_is_fixed(client, world, django_assert_num_queries):
    # The content versions (pagecache.pages.public_page), then one aggregate per dataset with
    # dates of change (not the kommuner: reference data).
    dated = [resource for resource in RESOURCES if resource.modified]
    assert len(dated) == len(RESOURCES) - 1
    with django_assert_num_queries(1 + len(dated)):
        client.get("/oppna-data/katalog.rdf")
    ActivityFactory.create_batch(5, commitment=world["patrols"])
    with django_assert_num_queries(1 + len(dated)):
        client.get("/oppna-data/katalog.jsonld")


def test_open_data_page_links_both_descriptions(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/oppna-data/")
    text = response.text
    assert '<link rel="describedby" type="application/vnd.oai.openapi+json"' in text
    assert 'href="http://testserver/api/v1/openapi.json"' in text
    for kind, path in (("rdf+xml", "katalog.rdf"), ("ld+json", "katalog.jsonld")):
        link = f'<link rel="alternate describedby" type="application/{kind}" title="DCAT-AP-SE"'
        assert f'{link} href="http://testserver/oppna-data/{path}">' in text
    index = client.get("/api/v1/").json()
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"


def test_the_problem_and_indicator_resources_are_described_and_catalogued(client, world, spec):
    for path in ("/api/v1/problem/", "/api/v1/indikatorer/", "/api/v1/indikatorvarden/"):
        assert path in spec["paths"]
    assert {"problem", "indikatorer"} <= {tag["name"] for tag in spec["tags"]}
    values = spec["components"]["schemas"]["Indicators"]["properties"]["values"]
    assert "is_example" in values["items"]["properties"]
    index = client.get("/api/v1/").json()["endpoints"]
    assert {"problem", "indikatorer"} <= set(index)
    _response, graph = catalogue(client)
    datasets = {str(d) for d in graph.subjects(ns.RDF.type, ns.DCAT.Dataset)}
    for name in ("problem", "indikatorer", "indikatorvarden"):
        assert any(d.endswith(f"#{name}") for d in datasets), name
    downloads = {str(u) for u in graph.objects(None, ns.DCAT.downloadURL)}
    assert any(u.endswith("/oppna-data/problem.csv") for u in downloads)
    assert any(u.endswith("/oppna-data/indikatorvarden.csv") for u in downloads)
