"""Forms of the judges' and the chief judge's pages. They check shape; services check rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget


class JudgeForm(FlaskForm):
    """A new judge account; the password is generated and shown once."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=32),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                message=_l("Use letters, digits and . _ - only, starting with a letter or digit."),
            ),
        ],
    )
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=50)])
    employer = StringField(_l("Employer"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])


class JudgeImportForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet"),
        validators=[
            FileRequired(_l("Choose a file to upload.")),
            FileAllowed(["xlsx", "csv"], _l("Upload an Excel workbook (.xlsx) or a .csv file.")),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (large enough to tap), for criteria."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentLimitsForm(FlaskForm):
    """Which criteria and stations a judge marks; nothing ticked or typed means all."""

    criteria = MultiCheckboxField(_l("Criteria"), validate_choice=True)
    stations = StringField(
        _l("Stations"),
        validators=[Optional(), Length(max=400)],
        description=_l("Separate stations with commas, e.g. A1, A2. Leave empty for all."),
    )

    def station_list(self) -> list[str] | None:
        """The stations typed, split at commas (also full-width ones) and spaces."""
        text = (self.stations.data or "").replace("，", ",").replace("、", ",")
        parts = [part.strip() for chunk in text.split(",") for part in chunk.split()]
        return [part for part in parts if part] or None


class AssignForm(AssignmentLimitsForm):
    """Appoint a judge to an event."""

    judge = SelectField(_l("Judge"), coerce=int, validators=[DataRequired()])
    chief = BooleanField(_l("Chief judge of this event"))


class ConflictForm(FlaskForm):
    """Declare a relation between a judge and a contestant."""

    judge = SelectField(_l("Judge"), coerce=int, validators=[DataRequired()])
    person = SelectField(_l("Contestant"), coerce=int, validators=[DataRequired()])
    relation = StringField(
        _l("Relation"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. relative, former teacher, same workshop"),
    )


class ReasonForm(FlaskForm):
    """Any action that must say why (reopening marking)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ExcuseForm(FlaskForm):
    """The chief judge excuses a missing mark (or all of an entry's, judge's, criterion's)."""

    entry = SelectField(_l("Entry"), coerce=int, validators=[DataRequired()])
    judge = SelectField(_l("Judge"), coerce=int, validators=[Optional()])
    criterion = SelectField(_l("Criterion"), coerce=int, validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class RemarkForm(FlaskForm):
    """The chief judge asks a judge to look at an entry's marks again."""

    entry = SelectField(_l("Entry"), coerce=int, validators=[DataRequired()])
    judge = SelectField(_l("Judge"), coerce=int, validators=[DataRequired()])
    criterion = SelectField(_l("Criterion"), coerce=int, validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ConfirmForm(FlaskForm):
    """A button that changes state: the CSRF token only."""
