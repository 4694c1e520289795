"""Flask-Login wiring: the session's user id carries the user's session version."""

from flask import Flask, jsonify, request
from flask_babel import lazy_gettext as _l

from ..extensions import db


def init_app(app: Flask, login_manager) -> None:
    """Configure Flask-Login for this app."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_user_id: str):
        from .models import User

        user_id, _, version = session_user_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # A raised session version (logout everywhere, new password,
        # deactivation) ends every session that carries the old one.
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect, url_for

        if request.path.startswith("/api/"):
            return jsonify(error="Unauthorized", message="Please sign in again."), 401
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
