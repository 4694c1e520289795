"""Domain errors and the HTTP error pages.

Services raise :class:`DomainError` subclasses with a message fit for the
user; views catch them and show the message beside the field concerned.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


class DomainError(Exception):
    """A business rule refused an operation. ``field`` names the input concerned."""

    status_code = 422

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The operation is not allowed in the object's current state."""

    status_code = 409


class Conflict(DomainError):
    """Somebody else changed the object since it was read."""

    status_code = 409


def wants_json() -> bool:
    """True for API requests, which get JSON errors instead of pages."""
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Register the error pages (and JSON errors for the API)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        if wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        return render_template(
            "errors/error.html", code=error.code, title=_error_title(error.code)
        ), error.code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return jsonify(error="CSRF", message=error.description), 400
        return render_template(
            "errors/error.html",
            code=400,
            title=_("The form had expired or was not sent from this site. Please try again."),
        ), 400

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error="Internal Server Error", message="unexpected error"), 500
        return render_template("errors/error.html", code=500, title=_error_title(500)), 500


def _error_title(code: int | None) -> str:
    titles = {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You do not have permission to open this page."),
        404: _("Page not found."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing you entered was lost; please try again."),
    }
    return titles.get(code or 500, _("The request could not be completed."))
