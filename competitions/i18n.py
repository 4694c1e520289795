"""Language selection: the user's choice, else their browser's, else the default."""

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from .extensions import babel


def select_locale() -> str:
    """The locale for this request: session choice, account preference, browser, default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and services called outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang(locale: str) -> str:
    """The value for ``<html lang>``."""
    return "zh-CN" if locale.startswith("zh") else locale


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with this module's locale selector."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {"current_locale": locale, "html_lang": html_lang(locale)}
