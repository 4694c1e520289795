"""Admins create, edit and deactivate accounts and read the audit log."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts import services
from ..accounts.forms import UserForm
from ..accounts.models import User
from ..audit import AuditEntry
from ..authz import can_manage_users, load_or_404, role_required
from ..enums import Role
from ..errors import DomainError
from ..extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Every page here is for admins only."""


@bp.get("/users")
def users():
    """All accounts, filterable by role."""
    role = request.args.get("role")
    query = select(User).order_by(User.role, User.username)
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    return render_template(
        "admin/users.html", users=db.session.scalars(query).all(), role=role, roles=list(Role)
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create an account."""
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Give the new account a password."))
        else:
            try:
                user = services.create_user(
                    username=form.username.data,
                    display_name=form.display_name.data,
                    password=form.password.data,
                    role=Role(form.role.data),
                    actor=current_user,
                    email=form.email.data,
                    phone=form.phone.data,
                    employer=form.employer.data,
                )
            except DomainError as error:
                getattr(form, error.field or "username").errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Account %(name)s created.", name=user.username), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Edit an account: details, role, active flag, and optionally a new password."""
    user = load_or_404(User, user_id, lambda _user: can_manage_users(current_user))
    form = UserForm(obj=user)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                actor=current_user,
                username=form.username.data,
                display_name=form.display_name.data,
                role=Role(form.role.data),
                active=form.active.data,
                email=form.email.data,
                phone=form.phone.data,
                employer=form.employer.data,
            )
            if form.password.data:
                services.set_password(user, form.password.data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Account %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.get("/audit")
def audit_log():
    """The newest audit entries, optionally for one action."""
    action = request.args.get("action") or None
    page = max(request.args.get("page", 1, type=int), 1)
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    entries = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    actors = {
        user.id: user
        for user in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in entries if e.actor_id}))
        )
    }
    return render_template(
        "admin/audit.html",
        entries=entries[:PAGE_SIZE],
        actors=actors,
        action=action,
        page=page,
        has_next=len(entries) > PAGE_SIZE,
    )
