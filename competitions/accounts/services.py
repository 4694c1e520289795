"""Account operations. Each flushes and never commits: the request commits once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import record
from ..enums import Role
from ..errors import DomainError
from ..extensions import db
from ..sqltypes import utcnow
from .models import User
from .passwords import (
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)


class AuthenticationFailed(DomainError):
    """Wrong username or password, or a deactivated account."""

    status_code = 401


def find_user(username: str) -> User | None:
    """The account with this username (case-insensitive), or None."""
    username = (username or "").strip()
    if not username:
        return None
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username: str, password: str) -> User:
    """Check a username and password; records the attempt in the audit log.

    Raises :class:`AuthenticationFailed` with the same message whether the
    account is unknown, deactivated or the password is wrong.
    """
    user = find_user(username)
    if user is None:
        verify_password(DUMMY_HASH, password)  # same time as a real check
        record("login_failed", username=(username or "")[:64], reason="unknown user")
        raise AuthenticationFailed(_("Wrong username or password."))
    if not verify_password(user.password_hash, password):
        record("login_failed", target=user, username=user.username, reason="wrong password")
        raise AuthenticationFailed(_("Wrong username or password."))
    if not user.active:
        record("login_failed", target=user, username=user.username, reason="deactivated")
        raise AuthenticationFailed(_("Wrong username or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record("login", actor=user, target=user)
    return user


def check_password_strength(password: str, *, username: str = "") -> None:
    """Raise :class:`DomainError` (field ``password``) for a password too weak to keep."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if username and password.lower() == username.lower():
        raise DomainError(_("The password must not be the username."), field="password")


def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    actor: User | None = None,
    email: str | None = None,
    phone: str | None = None,
    employer: str | None = None,
) -> User:
    """Create an account. Raises :class:`DomainError` for a taken username or weak password."""
    username = username.strip()
    if find_user(username) is not None:
        raise DomainError(_("The username %(name)s is taken.", name=username), field="username")
    check_password_strength(password, username=username)
    user = User(
        username=username,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        email=email or None,
        phone=phone or None,
        employer=employer or None,
    )
    db.session.add(user)
    db.session.flush()
    record("user_created", actor=actor, target=user, role=role.value)
    return user


def update_user(
    user: User,
    *,
    actor: User,
    username: str,
    display_name: str,
    role: Role,
    active: bool,
    email: str | None = None,
    phone: str | None = None,
    employer: str | None = None,
) -> User:
    """Change an account's details, role or active flag; role changes are audited.

    Deactivating an account ends its sessions. An admin cannot deactivate or
    demote their own account, so that some admin always remains.
    """
    username = username.strip()
    other = find_user(username)
    if other is not None and other.id != user.id:
        raise DomainError(_("The username %(name)s is taken.", name=username), field="username")
    if user.id == actor.id and (role is not user.role or not active):
        raise DomainError(_("You cannot demote or deactivate your own account."), field="role")
    user.username = username
    user.display_name = display_name.strip()
    user.email = email or None
    user.phone = phone or None
    user.employer = employer or None
    if role is not user.role:
        record("role_changed", actor=actor, target=user, old=user.role.value, new=role.value)
        user.role = role
    if active != user.active:
        user.active = active
        record("user_deactivated" if not active else "user_reactivated", actor=actor, target=user)
        if not active:
            end_other_sessions(user)
    db.session.flush()
    return user


def set_password(user: User, password: str, *, actor: User) -> None:
    """Give ``user`` a new password and end their other sessions."""
    check_password_strength(password, username=user.username)
    user.password_hash = hash_password(password)
    end_other_sessions(user)
    record("password_changed", actor=actor, target=user)
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    """A user changes their password, proving they know the current one."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("The current password is wrong."), field="current_password")
    set_password(user, new, actor=user)


def end_other_sessions(user: User) -> None:
    """Invalidate every session of ``user`` (the caller re-signs the current one in)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()
