"""Forms for issuing, reissuing, revoking and claiming certificates and uploading images."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class IssueForm(FlaskForm):
    participation = BooleanField(
        _l("Also issue participation certificates to everybody else who was ranked")
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (shown on the public verification page)"),
        validators=[
            DataRequired(message=_l("Give the reason for revoking the certificate.")),
            Length(max=500),
        ],
    )


class ReinstateForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the revocation was a mistake"),
        validators=[
            DataRequired(message=_l("Give the reason for reinstating the certificate.")),
            Length(max=500),
        ],
    )


class ReissueForm(FlaskForm):
    person_name = StringField(
        _l("Name as printed"),
        validators=[DataRequired(message=_l("Enter the name to print.")), Length(max=100)],
    )
    employer = StringField(_l("Employer as printed"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(
        _l("Why is it reissued?"),
        validators=[
            DataRequired(message=_l("Say why the certificate is reissued.")),
            Length(max=500),
        ],
    )


class ClaimCodesForm(FlaskForm):
    replace = BooleanField(_l("Replace the codes already handed out (they stop working)"))


class ClaimForm(FlaskForm):
    id_number = StringField(
        _l("ID number"),
        validators=[DataRequired(message=_l("Enter your ID number.")), Length(max=18)],
    )
    code = StringField(
        _l("Claim code"),
        validators=[
            DataRequired(message=_l("Enter the claim code from the organiser.")),
            Length(max=32),
        ],
    )


class ImageForm(FlaskForm):
    logo = FileField(_l("Logo"))
    seal = FileField(_l("Seal or signature"))
    remove_logo = BooleanField(_l("Remove the logo"))
    remove_seal = BooleanField(_l("Remove the seal"))
