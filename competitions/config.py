"""Configuration read from the environment.

Three modes: ``development`` (the default: embedded SQLite, a generated secret
key, demo commands allowed), ``testing`` (used by the test suite) and
``production`` (``APP_ENV=production``: every secret must come from the
environment, and the app refuses to start and names what is missing).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment does not hold what the chosen mode needs."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Point bare ``postgres://`` / ``postgresql://`` URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_sqlite_url(instance_path: str | Path) -> str:
    """The embedded database file inside the instance folder."""
    return f"sqlite:///{Path(instance_path) / 'competitions.db'}"


def load_config(instance_path: str | Path, overrides: dict | None = None) -> dict:
    """Build the configuration mapping for ``app.config`` from the environment.

    ``overrides`` (e.g. the test suite's settings) win over the environment.
    Raises :class:`ConfigError` in production mode when ``SECRET_KEY`` or
    ``DATABASE_URL`` is missing or the secret key is too short.
    """
    overrides = dict(overrides or {})
    env = overrides.get("ENV_NAME") or os.environ.get("APP_ENV", "development")
    production = env == "production"

    secret_key = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if production:
        missing = []
        if not secret_key:
            missing.append("SECRET_KEY (a random string of at least 32 characters)")
        elif len(secret_key) < 32:
            missing.append("SECRET_KEY is too short: use at least 32 random characters")
        if not database_url:
            missing.append("DATABASE_URL (e.g. postgresql://user@host/dbname)")
        if missing:
            raise ConfigError(
                "Cannot start in production mode; set these environment variables: "
                + "; ".join(missing)
            )
    if not secret_key:
        secret_key = _development_secret(instance_path)
    if not database_url:
        database_url = default_sqlite_url(instance_path)

    redis_url = os.environ.get("REDIS_URL") or None
    config = {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # Sessions live in signed cookies so that app servers hold no state.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        # A judge's tablet stays signed in through a whole competition day.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "16"))),
        # CSRF tokens are tied to the session, not to the clock: a judge's page
        # stays open through a whole heat without its forms going stale.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "16")) * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or redis_url
        or "memory://",
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour"
        ),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get(
            "LOGIN_LIMIT_PER_ADDRESS", "60 per minute;600 per hour"
        ),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "LANGUAGES": ("zh", "en"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "zh"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "competitions" / "translations"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "CERTIFICATE_FONT": os.environ.get("CERTIFICATE_FONT", ""),
        # certificates: claims by ID number + claim code, and verification look-ups
        "CLAIM_LIMIT_PER_ADDRESS": os.environ.get(
            "CLAIM_LIMIT_PER_ADDRESS", "10 per minute;30 per hour"
        ),
        "CLAIM_LIMIT_PER_HOLDER": os.environ.get(
            "CLAIM_LIMIT_PER_HOLDER", "5 per minute;10 per hour"
        ),
        "VERIFY_LIMIT_PER_ADDRESS": os.environ.get(
            "VERIFY_LIMIT_PER_ADDRESS", "60 per minute;600 per hour"
        ),
        # contestants signing up for self-registration (every attempt counts)
        "SIGNUP_LIMIT_PER_ADDRESS": os.environ.get(
            "SIGNUP_LIMIT_PER_ADDRESS", "10 per minute;50 per hour"
        ),
    }
    config.update(overrides)
    return config


def _development_secret(instance_path: str | Path) -> str:
    """A random key kept in the instance folder so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
