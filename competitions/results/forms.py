"""Forms of the results pages: they check shape; the services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

REASON_MAX = 2000


class PublishForm(FlaskForm):
    publicity_ends_on = DateField(
        _l("Publicity period ends on"),
        validators=[DataRequired(message=_l("Give the last day of the publicity period."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token is checked."""


class AppealForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you appeal?"),
        render_kw={"rows": 6},
        validators=[
            DataRequired(message=_l("Give a reason.")),
            Length(max=REASON_MAX, message=_l("Keep the reason within 2000 characters.")),
        ],
    )


class ResolveAppealForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("upheld", _l("Uphold: the marks are corrected")),
            SelectChoice("dismissed", _l("Dismiss")),
        ],
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    resolution = TextAreaField(
        _l("Reason for the decision"),
        render_kw={"rows": 4},
        validators=[
            DataRequired(message=_l("Give a reason.")),
            Length(max=REASON_MAX, message=_l("Keep the reason within 2000 characters.")),
        ],
    )


class CorrectMarkForm(FlaskForm):
    judge_id = IntegerField(validators=[InputRequired()])
    criterion_id = IntegerField(validators=[InputRequired()])
    version = HiddenField()
    value = DecimalField(
        _l("Corrected mark"),
        places=None,
        validators=[
            InputRequired(message=_l("Enter the corrected mark.")),
            NumberRange(min=0, message=_l("A mark cannot be negative.")),
        ],
    )
    note = TextAreaField(
        _l("What was corrected and why"),
        validators=[
            DataRequired(message=_l("Say what was corrected and why.")),
            Length(max=REASON_MAX, message=_l("Keep the reason within 2000 characters.")),
        ],
    )
