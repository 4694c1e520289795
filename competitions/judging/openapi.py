"""The OpenAPI 3.1 document of the marking API (served at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from flask import url_for


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document() -> dict:
    """Describe every endpoint of the ``api`` blueprint, its inputs, answers and errors."""
    ids = {"in": "path", "required": True, "schema": {"type": "integer"}}
    common_errors = {
        "401": _error("Not signed in (`unauthenticated`): sign in again."),
        "403": _error("Not a judge, or not this judge's event or entry (`not_assigned`)."),
        "404": _error("No such event, entry or criterion (`not_found`)."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Skills Competitions marking API",
            "version": "1",
            "description": (
                "Judges list their assignments, read their entries' mark sheets by anonymous "
                "number (never a name, employer or ID number) and store marks. Sessions are "
                "the signed cookie of the web sign-in; every PUT needs the `X-CSRFToken` "
                "header (from `GET /me`). Numbers are exact decimals sent as strings. Errors "
                'are `{"error": code, "message": translated text, "field": input}`.'
            ),
        },
        "servers": [{"url": url_for("api.me").rsplit("/", 1)[0]}],
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": {
                            "type": "string",
                            "description": "Machine code, e.g. key_missing, key_reused, "
                            "value_out_of_range, too_many_decimals, value_invalid, "
                            "reason_required, version_conflict, event_locked, event_not_open, "
                            "entry_not_marked, not_assigned, criterion_not_assigned, "
                            "csrf_invalid, unauthenticated, not_found.",
                        },
                        "message": {"type": "string", "description": "Translated, for people."},
                        "field": {"type": ["string", "null"], "description": "The input."},
                        "current": {
                            "oneOf": [{"$ref": "#/components/schemas/Mark"}, {"type": "null"}],
                            "description": "On version_conflict: the mark as the server has it.",
                        },
                    },
                },
                "Mark": {
                    "type": "object",
                    "properties": {
                        "entry": {"type": "integer"},
                        "criterion": {"type": "string"},
                        "value": {"type": "string", "examples": ["32.5"]},
                        "version": {"type": "integer", "minimum": 1},
                        "updated_at": {"type": "string", "format": "date-time"},
                    },
                },
                "Criterion": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "type": {"enum": ["marks", "judgement", "deduction"]},
                        "min": {"type": "string"},
                        "max": {"type": "string", "description": "3 for judgement"},
                        "max_mark": {"type": "string"},
                        "decimals": {"type": "integer", "enum": [0, 3]},
                    },
                },
                "Event": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "competition": {"type": "string"},
                        "status": {"type": "string"},
                        "open": {"type": "boolean"},
                        "locked": {"type": "boolean"},
                    },
                },
                "SheetEntry": {
                    "type": "object",
                    "description": "An entry by anonymous number only.",
                    "properties": {
                        "id": {"type": "integer"},
                        "number": {"type": "string"},
                        "station": {"type": ["string", "null"]},
                        "expected": {"type": "integer"},
                        "marked": {"type": "integer"},
                        "complete": {"type": "boolean"},
                        "marks": {
                            "type": "object",
                            "additionalProperties": {"$ref": "#/components/schemas/Mark"},
                            "description": "The judge's marks by criterion code.",
                        },
                    },
                },
                "Sections": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "weight": {"type": "string"},
                            "criteria": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Criterion"},
                            },
                        },
                    },
                },
            },
        },
        "security": [{"session": []}],
        "paths": {
            "/me": {
                "get": {
                    "summary": "The signed-in judge and a CSRF token for writes",
                    "responses": {
                        "200": {"description": "id, display_name, csrf_token"},
                        "401": common_errors["401"],
                    },
                }
            },
            "/assignments": {
                "get": {
                    "summary": "My events with progress (entries marked of entries total)",
                    "responses": {
                        "200": {
                            "description": "assignments: event, chief, entries_total, "
                            "entries_marked, entries_url"
                        },
                        "401": common_errors["401"],
                        "403": common_errors["403"],
                    },
                }
            },
            "/events/{event_id}/entries": {
                "get": {
                    "summary": "My entries of an event with my marks, and the criteria I mark",
                    "parameters": [{"name": "event_id", **ids}],
                    "responses": {
                        "200": {
                            "description": "event, sections, entries, progress",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "event": {"$ref": "#/components/schemas/Event"},
                                            "sections": {"$ref": "#/components/schemas/Sections"},
                                            "entries": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/SheetEntry"
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **common_errors,
                    },
                }
            },
            "/entries/{entry_id}/marks": {
                "get": {
                    "summary": "One entry's mark sheet",
                    "parameters": [{"name": "entry_id", **ids}],
                    "responses": {
                        "200": {
                            "description": "event, sections, entry",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "event": {"$ref": "#/components/schemas/Event"},
                                            "sections": {"$ref": "#/components/schemas/Sections"},
                                            "entry": {"$ref": "#/components/schemas/SheetEntry"},
                                        },
                                    }
                                }
                            },
                        },
                        **common_errors,
                    },
                }
            },
            "/entries/{entry_id}/marks/{criterion}": {
                "put": {
                    "summary": "Store my mark for one criterion of an entry",
                    "description": (
                        "The first value needs no version. Changing a stored mark needs the "
                        "version the client saw and a reason. A repeat with the same key "
                        "answers with the original result; the same key with another value "
                        "is refused (422)."
                    ),
                    "security": [{"session": [], "csrf": []}],
                    "parameters": [
                        {"name": "entry_id", **ids},
                        {
                            "name": "criterion",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "Criterion code",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["value", "key"],
                                    "properties": {
                                        "value": {
                                            "type": ["string", "number"],
                                            "description": "0..max with at most 3 decimals; "
                                            "judgement: 0, 1, 2 or 3",
                                        },
                                        "key": {
                                            "type": "string",
                                            "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:-]{7,63}$",
                                            "description": "Client-generated idempotency key",
                                        },
                                        "version": {"type": ["integer", "null"]},
                                        "reason": {"type": ["string", "null"], "maxLength": 1000},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "Stored for the first time (mark, repeat=false)"},
                        "200": {"description": "Changed, unchanged, or a repeat (repeat=true)"},
                        "400": _error("No key (`key_missing`), bad JSON or CSRF token."),
                        **common_errors,
                        "409": _error(
                            "`version_conflict` (with `current`), `event_locked`, "
                            "`event_not_open` or `entry_not_marked`."
                        ),
                        "415": _error("The body is not JSON."),
                        "422": _error("Value out of range, `key_reused`, `reason_required`."),
                    },
                }
            },
        },
    }
