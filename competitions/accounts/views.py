"""Signing in and out, and a user's own account page."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..audit import record
from ..errors import DomainError
from ..extensions import db, limiter
from ..urls import safe_next
from . import services
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("accounts", __name__)


def _login_account_key() -> str:
    """Rate-limit key for one account: all tablets at a venue share one address."""
    return "account:" + (request.form.get("username") or "").strip().lower()[:64]


def _failed_login(response) -> bool:
    """Only failed attempts count against the limits (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_failed_login,
    scope="login-account",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_login,
    scope="login-address",
)
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except services.AuthenticationFailed as error:
            db.session.commit()  # keep the audit entry of the failed attempt
            form.password.errors.append(error.message)
            status = 401
        else:
            session.clear()
            session.permanent = True
            login_user(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out of this browser."""
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Sign out of every browser and device."""
    user = current_user._get_current_object()
    services.end_other_sessions(user)
    record("logout_everywhere", actor=user, target=user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's own page: change password, sign out everywhere."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_own_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            db.session.commit()
            login_user(user)  # this session carries the new session version
            flash(_("Your password was changed; your other sessions were ended."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form)


@bp.get("/language/<code>")
def set_language(code: str):
    """Switch the interface language and return to the page the user came from."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("main.home")))
