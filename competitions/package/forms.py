"""The contest package upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class PackageUploadForm(FlaskForm):
    """A contest package (.json) and whether it may replace a competition of the same code."""

    file = FileField(_l("Contest package (.json)"), validators=[FileRequired()])
    replace = BooleanField(_l("Replace the competition with the same code, with everything in it"))
