"""The API's OpenAPI 3.1 description, generated from the resource descriptions that the
API itself serves (`reports.resources`): one source, so the document cannot drift from
the answers.
"""

from django.urls import reverse
from django.utils.translation import override

from core.siteurl import site_url
from pledges.models import Commitment
from pledges.progress import State
from reports.periods import PeriodError, parse_date
from reports.resources import (
    FILTER_PARAMETERS,
    MAX_PAGE_SIZE,
    PAGE_PARAMETERS,
    PAGE_SIZE,
    RESOURCES,
    SLUG_PATTERN,
    STATE_VOCABULARY,
)

TYPE_EXAMPLES = {
    ("integer", ""): 12,
    ("boolean", ""): False,
    ("string", "date"): "2026-03-12",
    ("string", "date-time"): "2026-03-12T18:00:00+01:00",
}


def field_schema(field, base, examples, path):
    """The JSON Schema (2020-12, as OpenAPI 3.1 uses) of one `resources.Field`; `examples`
    are the resource's, by field path."""
    if field.type == "object":
        schema = object_schema(field.properties, base, examples, path + ".")
    elif field.type == "array":
        items = object_schema(field.properties, base, examples, path + ".")
        schema = {"type": "array", "items": items}
    else:
        schema = {"type": field.type}
        if field.format:
            schema["format"] = field.format
        if field.enum:
            schema["enum"] = [str(value) for value in field.enum]
        example = TYPE_EXAMPLES.get((field.type, field.format))
        if field.enum:
            example = str(field.enum[0])
        elif field.format == "uri":
            example = base + "/"
        example = examples.get(path, example)
        if example is not None:
            schema["examples"] = [example]
    schema["description"] = str(field.description)
    if field.nullable:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    return schema


def object_schema(fields, base, examples=None, prefix=""):
    examples = examples or {}
    return {
        "type": "object",
        "properties": {
            field.name: field_schema(field, base, examples, prefix + field.name) for field in fields
        },
        "required": [field.name for field in fields],
        "additionalProperties": False,
    }


def error_example(parameter="fran"):
    try:
        parse_date("2026-02-30", parameter)
    except PeriodError as error:
        return str(error)
    raise AssertionError("2026-02-30 is not a date")


def filter_parameters(resource):
    parameters = []
    for parameter in FILTER_PARAMETERS:
        if parameter.resources and resource.key not in parameter.resources:
            continue
        if parameter.kind == "choice":
            schema = {"type": "string", "enum": list(parameter.choices)}
            description = parameter.description
        elif parameter.kind == "slug":
            schema = {"type": "string", "pattern": SLUG_PATTERN, "examples": ["kungalv"]}
            description = parameter.description
        else:
            schema = {"type": "string", "format": "date", "examples": ["2026-01-01"]}
            description = f"{parameter.description} {resource.period}"
        parameters.append(
            {
                "name": parameter.name,
                "in": "query",
                "required": False,
                "description": str(description),
                "schema": schema,
            }
        )
    return parameters


def page_parameters():
    sida, per_sida = PAGE_PARAMETERS
    return [
        {
            "name": sida.name,
            "in": "query",
            "required": False,
            "description": sida.description,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": per_sida.name,
            "in": "query",
            "required": False,
            "description": per_sida.description,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": PAGE_SIZE,
            },
        },
    ]


def error_response(description, example):
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"error": example},
            }
        },
    }


VALIDATOR_HEADERS = {
    "ETag": {
        "description": "Ändras när uppgifterna i svaret ändras. Skicka den i If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": (
            "Senaste ändringen av portalens offentliga uppgifter, eller början av den "
            "pågående femminutersperioden om den är senare. Skicka den i If-Modified-Since."
        ),
        "schema": {"type": "string"},
    },
}


def list_operation(resource, *, csv_path):
    key = resource.key.capitalize()
    description = str(resource.description)
    if csv_path:
        description += f" Samma uppgifter finns som CSV: {csv_path}"
    return {
        "operationId": f"list_{resource.key}",
        "summary": str(resource.title),
        "description": description,
        "tags": [resource.name],
        "parameters": [
            *filter_parameters(resource),
            *page_parameters(),
        ],
        "responses": {
            "200": {
                "description": "En sida med poster.",
                "headers": VALIDATOR_HEADERS,
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [
                                {"$ref": "#/components/schemas/Page"},
                                {
                                    "type": "object",
                                    "properties": {
                                        "results": {
                                            "type": "array",
                                            "items": {"$ref": f"#/components/schemas/{key}"},
                                        }
                                    },
                                },
                            ]
                        }
                    }
                },
            },
            "304": {"description": "Inget har ändrats sedan If-None-Match/If-Modified-Since."},
            "400": error_response("Ett felaktigt filter eller sidnummer.", error_example()),
            "404": error_response("Sidan finns inte.", "Sidan finns inte. Det finns 3 sidor."),
        },
    }


def detail_operation(resource):
    key = resource.key.capitalize()
    by = "kommunkod" if resource.lookup == "code" else "id"
    return {
        "operationId": f"get_{resource.key}",
        "summary": f"{resource.title}: en post",
        "description": f"En post, samma som i listan, efter dess {by}.",
        "tags": [resource.name],
        "parameters": [
            {
                "name": "value",
                "in": "path",
                "required": True,
                "description": f"Postens {by}.",
                "schema": {"type": "string"},
            }
        ],
        "responses": {
            "200": {
                "description": "Posten.",
                "headers": VALIDATOR_HEADERS,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{key}"}}
                },
            },
            "304": {"description": "Inget har ändrats sedan If-None-Match/If-Modified-Since."},
            "404": error_response(
                "Posten finns inte eller är inte offentlig.",
                "Posten finns inte eller är inte offentlig.",
            ),
        },
    }


def csv_operation(resource):
    columns = ", ".join(column.header for column in resource.columns)
    return {
        "operationId": f"csv_{resource.key}",
        "summary": f"{resource.title} (CSV)",
        "description": (
            f"{resource.description} Hela urvalet som CSV (UTF-8 med BOM, semikolon, "
            f"decimalkomma). Kolumner: {columns}."
        ),
        "tags": [resource.name],
        "parameters": filter_parameters(resource),
        "responses": {
            "200": {
                "description": "CSV-fil.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
            "400": error_response("Ett felaktigt filter.", error_example()),
        },
    }


NATIONAL_DESCRIPTION = (
    "Läget i landet, som på sidan /nationellt/: hur många kommuner som har ett aktuellt "
    "löfte, ett som gick ut de senaste 12 månaderna eller inget, och åtagandena i de aktuella "
    "löftena efter typ och läge, för hela landet, varje län och varje polisregion. Samma "
    "tabell per län finns som CSV: /nationellt/lan.csv."
)


def national_operation():
    """/api/v1/nationellt/: the national picture (pledges.national, reports.api)."""
    count = {"type": "integer"}
    figures = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Länets eller regionens namn."},
            "code": {"type": "string", "description": "Länskod (SCB) eller regionens kortnamn."},
            "municipalities": {**count, "description": "Antal kommuner."},
            "current": {**count, "description": "Kommuner med ett aktuellt löfte."},
            "recently_ended": {
                **count,
                "description": "Kommuner utan aktuellt löfte vars löfte gick ut de senaste "
                "12 månaderna.",
            },
            "none": {**count, "description": "Kommuner med varken eller."},
            "commitments": {**count, "description": "Åtaganden i de aktuella löftena."},
            "kinds": {
                "type": "object",
                "description": "Åtaganden efter typ: "
                + "; ".join(f"{value} = {label}" for value, label in Commitment.Kind.choices),
                "properties": dict.fromkeys(Commitment.Kind.values, count),
            },
            "states": {
                "type": "object",
                "description": str(STATE_VOCABULARY),
                "properties": dict.fromkeys(State.LABELS, count),
            },
            "is_example": {
                "type": "boolean",
                "description": "Några av siffrorna kommer från påhittade exempel.",
            },
        },
    }
    return {
        "operationId": "national",
        "summary": "Läget i landet",
        "description": NATIONAL_DESCRIPTION,
        "tags": ["nationellt"],
        "responses": {
            "200": {
                "description": "Siffrorna för landet, länen och polisregionerna.",
                "headers": VALIDATOR_HEADERS,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "as_of": {"type": "string", "format": "date"},
                                "page": {"type": "string", "format": "uri"},
                                "csv": {"type": "string", "format": "uri"},
                                "country": figures,
                                "counties": {"type": "array", "items": figures},
                                "regions": {"type": "array", "items": figures},
                            },
                        }
                    }
                },
            },
            "304": {"description": "Inget har ändrats sedan If-None-Match/If-Modified-Since."},
        },
    }


def document(request, *, licence):
    """The OpenAPI 3.1 document, in Swedish, for the API as served at SITE_URL."""
    base = site_url("")
    paths = {
        reverse("reports:api_index"): {
            "get": {
                "operationId": "index",
                "summary": "Startpunkt",
                "description": "Listar alla adresser, parametrar och licensen.",
                "responses": {
                    "200": {
                        "description": "Adresserna i API:et.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        reverse("reports:openapi"): {
            "get": {
                "operationId": "openapi",
                "summary": "Den här beskrivningen (OpenAPI 3.1)",
                "responses": {
                    "200": {
                        "description": "OpenAPI-dokumentet.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    schemas = {
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string", "description": "Felet, på svenska."}},
            "required": ["error"],
        },
        "Page": {
            "type": "object",
            "properties": {
                "count": {"type": "integer", "description": "Antal poster i hela urvalet."},
                "page": {"type": "integer", "description": "Sidans nummer."},
                "pages": {"type": "integer", "description": "Antal sidor."},
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "Nästa sida, eller null.",
                },
                "previous": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "Föregående sida, eller null.",
                },
                "licence": {
                    "type": "object",
                    "description": "Licensen: CC0 1.0.",
                    "properties": {
                        "name": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                    },
                    "required": ["name", "url"],
                },
                "results": {"type": "array", "description": "Sidans poster."},
            },
            "required": ["count", "page", "pages", "next", "previous", "licence", "results"],
        },
    }
    with override("sv"):
        for resource in RESOURCES:
            csv_path = reverse(f"reports:csv_{resource.key}") if resource.columns else None
            paths[reverse(f"reports:api_{resource.key}")] = {
                "get": list_operation(resource, csv_path=csv_path)
            }
            detail = reverse(f"reports:api_{resource.key}_detail", args=["VALUE"])
            paths[detail.replace("VALUE", "{value}")] = {"get": detail_operation(resource)}
            if csv_path:
                paths[csv_path] = {"get": csv_operation(resource)}
            schemas[resource.key.capitalize()] = {
                **object_schema(resource.fields, base, resource.examples),
                "description": str(resource.description),
            }
        tags = [
            {"name": resource.name, "description": str(resource.title)} for resource in RESOURCES
        ]
        paths[reverse("reports:api_national")] = {"get": national_operation()}
        tags.append({"name": "nationellt", "description": "Läget i landet"})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Medborgarlöfte – öppna data",
            "version": "1",
            "summary": "Medborgarlöften, åtaganden, insatser och trygghetsvandringar.",
            "description": (
                "Publicerade medborgarlöften och hur långt de har kommit, som öppna data. "
                "Utkast, interna anteckningar och personuppgifter finns aldrig med. Listorna "
                "har ETag och Last-Modified: skicka If-None-Match eller If-Modified-Since så "
                "blir svaret 304 när inget har ändrats. Felaktiga värden ger 400 med ett "
                "felmeddelande på svenska i fältet error."
            ),
            "license": {"name": licence["name"], "url": licence["url"]},
        },
        "externalDocs": {
            "description": "Öppna data: om uppgifterna och licensen",
            "url": base + reverse("reports:open_data"),
        },
        "servers": [{"url": base}],
        "tags": tags,
        "paths": paths,
        "components": {"schemas": schemas},
    }
