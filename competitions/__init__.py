"""Skills competition management: contests, marking, results and certificates."""

from pathlib import Path

from flask import Flask

from .config import ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application.

    ``config`` overrides what the environment says (the test suite passes its
    database and settings here). Raises ``ConfigError`` in production mode when
    a required setting is missing. No schema work happens here: the schema is
    built by ``flask db upgrade``.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(Path((config or {}).get("INSTANCE_PATH") or ROOT / "instance")),
    )
    app.config.from_mapping(load_config(app.instance_path, config))

    from . import database, errors, i18n, security, templating
    from .extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    from .accounts import sessions

    sessions.init_app(app, login_manager)

    from . import models  # noqa: F401  (every model registered with the metadata)
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .contests.views import bp as contests_bp
    from .judging.views import bp as judging_bp
    from .main.views import bp as main_bp

    for blueprint in (main_bp, accounts_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(contests_bp)  # competitions, events, schemes, draw, check-in

    from .package.views import bp as package_bp
    from .registration.enrol import bp as enrol_bp
    from .registration.views import bp as registration_bp

    for blueprint in (registration_bp, enrol_bp, package_bp):
        app.register_blueprint(blueprint)

    from .judging.api import bp as api_bp
    from .judging.pages import bp as marking_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(marking_bp)
    app.register_blueprint(judging_bp)

    from .results.views import bp as results_bp

    app.register_blueprint(results_bp)

    from .certificates.views import bp as certificates_bp

    app.register_blueprint(certificates_bp)

    from .cli import register_commands

    register_commands(app)
    return app
