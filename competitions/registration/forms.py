"""Forms for registering contestants and teams and for uploading contestant sheets."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Form, FormField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from ..sheets.validators import check_id_number, check_phone
from .messages import translate_reason
from .services import ContestantData

MEMBER_ROWS = 5


def _id_number(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = check_id_number(field.data)
    except ValueError as error:
        raise ValidationError(
            _("Not a valid ID number: %(reason)s.", reason=translate_reason(str(error)))
        ) from None


def _phone(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = check_phone(field.data)
    except ValueError as error:
        raise ValidationError(
            _("Not a valid phone number: %(reason)s.", reason=translate_reason(str(error)))
        ) from None


class ContestantForm(FlaskForm):
    """One person entering an individual event."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=50)])
    employer = StringField(_l("Employer"), validators=[DataRequired(), Length(max=200)])
    id_number = StringField(
        _l("ID number"), validators=[DataRequired(), Length(max=30), _id_number]
    )
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=30), _phone])
    station = StringField(_l("Station"), validators=[Optional(), Length(max=16)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])

    def contestant(self) -> ContestantData:
        """The validated person."""
        return ContestantData(
            name=self.name.data.strip(),
            employer=self.employer.data.strip(),
            id_number=self.id_number.data,
            phone=self.phone.data,
        )


class MemberForm(Form):
    """One row of a team's member list; a row left empty is ignored."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=50)])
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=200)])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=30), _id_number])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30), _phone])

    def is_empty(self) -> bool:
        return not any((self.name.data, self.employer.data, self.id_number.data, self.phone.data))


class TeamForm(FlaskForm):
    """A team entering a team event, with its named members and captain."""

    team_name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=200)])
    station = StringField(_l("Station"), validators=[Optional(), Length(max=16)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
    members = FieldList(FormField(MemberForm), min_entries=MEMBER_ROWS, max_entries=MEMBER_ROWS)
    captain = RadioField(
        _l("Captain"),
        choices=[SelectChoice(str(n), str(n + 1)) for n in range(MEMBER_ROWS)],
        default="0",
        validate_choice=False,
    )

    def validate_members(self, field) -> None:
        filled = 0
        for row in field:
            if row.form.is_empty():
                continue
            filled += 1
            for name in ("name", "employer", "id_number", "phone"):
                sub = getattr(row.form, name)
                if not sub.data and not sub.errors:
                    sub.errors = [_("This field is required.")]
        if not filled:
            raise ValidationError(_("Give at least one member."))
        if any(row.form.errors for row in field if not row.form.is_empty()):
            raise ValidationError(_("Complete or clear the marked member rows."))

    def members_data(self) -> tuple[list[ContestantData], int]:
        """The filled member rows and the index of the captain among them."""
        members = []
        captain = 0
        chosen = int(self.captain.data or 0) if (self.captain.data or "0").isdigit() else 0
        for index, row in enumerate(self.members):
            if row.form.is_empty():
                continue
            if index == chosen:
                captain = len(members)
            members.append(
                ContestantData(
                    name=row.form.name.data.strip(),
                    employer=row.form.employer.data.strip(),
                    id_number=row.form.id_number.data,
                    phone=row.form.phone.data,
                )
            )
        return members, captain


class SignUpForm(FlaskForm):
    """A contestant creates their own account to register for open events."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=50)])
    id_number = StringField(
        _l("ID number"), validators=[DataRequired(), Length(max=30), _id_number]
    )
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(), Length(max=30), _phone])
    employer = StringField(_l("Employer"), validators=[DataRequired(), Length(max=200)])
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=2, max=64),
            Regexp(r"^[A-Za-z0-9._@-]+$", message=_l("Use letters, digits and . _ @ - only.")),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def contestant(self) -> ContestantData:
        return ContestantData(
            name=self.name.data.strip(),
            employer=self.employer.data.strip(),
            id_number=self.id_number.data,
            phone=self.phone.data,
        )


class UploadForm(FlaskForm):
    """A contestant sheet (.xlsx or .csv)."""

    file = FileField(_l("Contestant file (.xlsx or .csv)"), validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token confirms a destructive POST."""
