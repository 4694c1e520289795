"""Template globals: labels and the role-dependent navigation."""

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_login import current_user

from . import authz
from .labels import label


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    url: str
    label: str


def _self_registration_open() -> bool:
    """Some event takes registrations from contestants now (asked once per request)."""
    from flask import g

    if "self_registration_open" not in g:
        from sqlalchemy.exc import SQLAlchemyError

        from .registration.selfservice import events_open_to_contestants

        try:
            g.self_registration_open = bool(events_open_to_contestants())
        except SQLAlchemyError:  # the error page of a database outage still renders
            g.self_registration_open = False
    return g.self_registration_open


def nav_items() -> list[NavItem]:
    """The navigation entries the current user may open, decided by authz."""
    items: list[NavItem] = []
    if authz.can_create_competition(current_user):
        items.append(
            NavItem("contests.competitions", url_for("contests.competitions"), _("Competitions"))
        )
    if authz.can_manage_users(current_user):
        items.append(NavItem("admin.users", url_for("admin.users"), _("Users")))
        items.append(NavItem("admin.audit_log", url_for("admin.audit_log"), _("Audit log")))
    if getattr(current_user, "person_id", None):
        items.append(
            NavItem(
                "registration.my_entries", url_for("registration.my_entries"), _("My registrations")
            )
        )

    if (
        not getattr(current_user, "is_authenticated", False)
        or authz.can_enter_events_themselves(current_user)
    ) and _self_registration_open():
        items.append(NavItem("enrol.events", url_for("enrol.events"), _("Register")))
    if authz.is_judge(current_user):
        items.append(NavItem("marking.assignments", url_for("marking.assignments"), _("Marking")))
    if authz.can_manage_judges(current_user):
        items.append(NavItem("judging.index", url_for("judging.index"), _("Judges")))
    items.append(NavItem("results.index", url_for("results.index"), _("Results")))
    # Certificates: organisers manage them (recognition exports hang off that
    # page), contestants download theirs, visitors claim and verify them.
    # Staff reach verification from the footer, which keeps the bar on one
    # line at 1280 px in English.
    if authz.can_look_up_people(current_user):
        items.append(
            NavItem("certificates.manage", url_for("certificates.manage"), _("Certificates"))
        )
    elif getattr(current_user, "is_authenticated", False) and current_user.person_id:
        items.append(
            NavItem("certificates.mine", url_for("certificates.mine"), _("My certificates"))
        )
    elif not getattr(current_user, "is_authenticated", False):
        items.append(
            NavItem("certificates.claim", url_for("certificates.claim"), _("Claim a certificate"))
        )
    if not authz.can_look_up_people(current_user):
        items.append(
            NavItem(
                "certificates.verify_search", url_for("certificates.verify_search"), _("Verify")
            )
        )
    return items


def init_app(app: Flask) -> None:
    """Expose the globals to every template."""
    app.jinja_env.globals.update(
        nav_items=nav_items,
        self_registration_open=_self_registration_open,
        role_label=label,
        status_label=label,
        label=label,
        authz=authz,
    )
