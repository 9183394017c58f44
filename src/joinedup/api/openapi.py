"""The API's OpenAPI 3.1 description, written by hand.

It is served at /api/v1/openapi.json and the tests fuzz the API against it
(schemathesis), so a change to an answer that is not made here too fails
the tests. The result document (SPEC §5) is described by its top-level shape;
its inner objects are open (`additionalProperties: true`), since the
contract for their contents is SPEC.md, not this file.
"""

from __future__ import annotations

from typing import Any

from joinedup.analysis.vocabulary import ALIGNMENTS, BANDS, POSITIONS
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Role
from joinedup.surveys.models import RoundStatus

# Ids are 64-bit database keys.
ID = {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}
NUMBER_OR_NULL = {"type": ["number", "null"]}
INTEGER = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _code_or_null(codes: Any) -> dict[str, Any]:
    return {"type": ["string", "null"], "enum": [*codes, None]}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object with exactly these `properties`, all required."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }


def _open(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An object that may carry more than the `properties` described."""
    return {
        "type": "object",
        "required": required or [],
        "properties": properties,
        "additionalProperties": True,
    }


def _schemas() -> dict[str, Any]:
    instrument = load_instrument()
    scale_figures = _open(
        {
            "score": NUMBER_OR_NULL,
            "ci_low": NUMBER_OR_NULL,
            "ci_high": NUMBER_OR_NULL,
            "n": INTEGER,
            "band": _code_or_null(BANDS),
            "reason": TEXT_OR_NULL,
        },
        required=["score", "ci_low", "ci_high", "n", "band"],
    )
    scales = {
        "type": "object",
        "description": "Figures per scale, by scale code ("
        + ", ".join(instrument.scale_codes)
        + "). A suppressed score is null, with a `reason`.",
        "additionalProperties": _ref("ScaleFigures"),
    }
    summary = {
        "momentum": NUMBER_OR_NULL,
        "strain": NUMBER_OR_NULL,
        "position": _code_or_null(POSITIONS),
        "alignment": _code_or_null(ALIGNMENTS),
    }
    group = {
        "name": TEXT,
        "combined": {"type": "boolean"},
        "n": INTEGER,
        "scales": scales,
        **summary,
    }
    return {
        "Error": _object(
            {"error": {"type": "string", "description": "What went wrong, in plain English."}}
        ),
        "PartnershipSummary": _object(
            {"id": ID, "name": TEXT, "role": {"type": "string", "enum": Role.values}}
        ),
        "PartnershipList": _object(
            {"partnerships": {"type": "array", "items": _ref("PartnershipSummary")}}
        ),
        "Organisation": _object(
            {
                "id": ID,
                "name": TEXT,
                "sector": {"type": "string", "enum": [s.code for s in instrument.sectors]},
            }
        ),
        "Thresholds": _object(
            {
                "min_group_size": {**INTEGER, "description": "k: the smallest group shown."},
                "min_tie_raters": {
                    **INTEGER,
                    "description": "Raters needed to show one organisation's view of another "
                    "(at least 2; never shown for an organisation merged into "
                    '"Other organisations").',
                },
                "min_text_group_size": {
                    **INTEGER,
                    "description": "Answers needed to show written comments.",
                },
            },
            description="The partnership's privacy thresholds (applied when a round closes).",
        ),
        "Partnership": _object(
            {
                "id": ID,
                "name": TEXT,
                "description": TEXT,
                "role": {
                    "type": "string",
                    "enum": Role.values,
                    "description": "Your role in it.",
                },
                "thresholds": _ref("Thresholds"),
                "organisations": {"type": "array", "items": _ref("Organisation")},
            }
        ),
        "Round": _object(
            {
                "id": ID,
                "label": TEXT,
                "status": {"type": "string", "enum": RoundStatus.values},
                "opened_at": TIME_OR_NULL,
                "closed_at": TIME_OR_NULL,
                "respondents": {
                    "type": ["integer", "null"],
                    "minimum": 0,
                    "description": "People who answered; null until the round is closed.",
                },
                "position": {
                    **_code_or_null(POSITIONS),
                    "description": "The partnership's position; null until the round is "
                    "closed, or when there were too few respondents for results.",
                },
            }
        ),
        "RoundList": _object({"rounds": {"type": "array", "items": _ref("Round")}}),
        "ScaleFigures": scale_figures,
        "PartnershipFigures": _open(
            {"scales": scales, **summary, "reason": TEXT_OR_NULL},
            required=["scales", *summary],
        ),
        "Unit": _open(
            {**group, "organisations": {"type": "array", "items": TEXT}},
            required=["name", "organisations", "combined", "n", "scales", *summary],
        ),
        "RoleGroup": _open(
            {**group, "roles": {"type": "array", "items": TEXT}},
            required=["name", "roles", "combined", "n", "scales"],
        ),
        "Network": _open(
            {
                "organisations": {"type": "array", "items": TEXT},
                "density": NUMBER_OR_NULL,
                "reciprocity": NUMBER_OR_NULL,
                "centralisation": NUMBER_OR_NULL,
                "mean_trust": NUMBER_OR_NULL,
                "mean_value": NUMBER_OR_NULL,
                "ties": {"type": "array", "items": {"type": "object"}},
                "members": {"type": "array", "items": {"type": "object"}},
                "flags": {"type": "array", "items": {"type": "object"}},
            },
            required=["organisations", "ties", "members", "flags"],
        ),
        "AnalysisResult": {
            **_open(
                {
                    "schema": {"const": "joinedup.analysis/1"},
                    "instrument": TEXT,
                    "settings": _open(
                        {
                            "min_group_size": INTEGER,
                            "min_tie_raters": INTEGER,
                            "min_text_group_size": INTEGER,
                        },
                        required=["min_group_size", "min_tie_raters", "min_text_group_size"],
                    ),
                    "respondents": INTEGER,
                    "partnership": _ref("PartnershipFigures"),
                    "units": {"type": "array", "items": _ref("Unit")},
                    "roles": {"type": "array", "items": _ref("RoleGroup")},
                    "reliability": {
                        "type": "object",
                        "additionalProperties": _open(
                            {
                                "alpha": NUMBER_OR_NULL,
                                "n_complete": INTEGER,
                                "icc1": NUMBER_OR_NULL,
                                "icc2": NUMBER_OR_NULL,
                            }
                        ),
                    },
                    "network": _ref("Network"),
                    "perception_gaps": {"type": "array", "items": {"type": "object"}},
                    "recommendations": {"type": "array", "items": {"type": "object"}},
                    "text": {"type": "object"},
                    "trend": {"type": ["object", "null"]},
                },
                required=[
                    "schema",
                    "instrument",
                    "settings",
                    "respondents",
                    "partnership",
                    "units",
                    "roles",
                    "reliability",
                    "network",
                    "perception_gaps",
                    "recommendations",
                    "text",
                    "trend",
                ],
            ),
            "description": "The joinedup.analysis/1 document, exactly as stored when the round "
            "closed (SPEC §5): unrounded numbers, null for a suppressed or missing figure. "
            "Organisations with too few respondents appear only inside a combined unit.",
        },
    }


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


RESPONSES = {
    "Unauthorised": {
        **_json(
            "Error", "No token was sent, or it is not recognised, has expired or has been revoked."
        ),
        "headers": {
            "WWW-Authenticate": {
                "description": "The Bearer scheme (RFC 6750).",
                "required": True,
                "schema": {"type": "string", "pattern": "^Bearer"},
            }
        },
    },
    "NotFound": _json(
        "Error",
        "No such thing, or you are not a member of its partnership (the API does not say which).",
    ),
    "TooManyRequests": {
        **_json("Error", "This token made too many requests this minute."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait.",
                "required": True,
                "schema": {"type": "integer"},
            }
        },
    },
}


def _operation(
    operation_id: str,
    summary: str,
    description: str,
    schema: str,
    parameters: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
            "responses": {
                "200": _json(schema, summary),
                "401": {"$ref": "#/components/responses/Unauthorised"},
                **({"404": {"$ref": "#/components/responses/NotFound"}} if parameters else {}),
                "429": {"$ref": "#/components/responses/TooManyRequests"},
            },
        }
    }


def openapi_document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Joined Up API",
            "version": "1.0.0",
            "description": (
                "Read-only access to your partnerships, their survey rounds and their results "
                "(the joinedup.analysis/1 document), for analysts who pull results into Excel, "
                "Power BI or their own code. Create a personal API token on the API tokens page "
                "and send it in the header `Authorization: Bearer <token>`. A token sees what "
                "its owner sees: every member of a partnership may read its results; anything "
                "else is 'not found'. Answers are never about one respondent: results are the "
                "disclosure-controlled document computed when a round closes. Every result "
                "fetched is recorded in the partnership's download log."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/partnerships": _operation(
                "listPartnerships",
                "Your partnerships",
                "The partnerships you are a member of, with your role in each.",
                "PartnershipList",
            ),
            "/partnerships/{partnership_id}": _operation(
                "getPartnership",
                "One partnership",
                "Its name, description, privacy thresholds and member organisations.",
                "Partnership",
                ("partnership_id",),
            ),
            "/partnerships/{partnership_id}/rounds": _operation(
                "listRounds",
                "The partnership's survey rounds",
                "Every round, oldest first. Respondents and position are given once a round "
                "is closed.",
                "RoundList",
                ("partnership_id",),
            ),
            "/partnerships/{partnership_id}/rounds/{round_id}/result": _operation(
                "getRoundResult",
                "A closed round's result",
                "The joinedup.analysis/1 document of a closed round (not found until the "
                "round closes). Each fetch is written to the partnership's download log.",
                "AnalysisResult",
                ("partnership_id", "round_id"),
            ),
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This description",
                    "description": "The OpenAPI description of the API. No token needed.",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "An OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from the API tokens page.",
                }
            },
            "parameters": {
                "partnership_id": {
                    "name": "partnership_id",
                    "in": "path",
                    "required": True,
                    "description": "The partnership's id, from /partnerships.",
                    "schema": ID,
                },
                "round_id": {
                    "name": "round_id",
                    "in": "path",
                    "required": True,
                    "description": "The round's id, from /partnerships/{partnership_id}/rounds.",
                    "schema": ID,
                },
            },
            "responses": RESPONSES,
            "schemas": _schemas(),
        },
    }
