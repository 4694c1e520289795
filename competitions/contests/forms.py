"""Forms for competitions, events, marking schemes, draws and check-in.

Forms check the shape of the input (present, a number, a date); the rules live in
:mod:`competitions.contests.services`, which names the field it refuses.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..enums import Aggregation, CompetitionKind, CriterionType, Level
from ..labels import label

REQUIRED = _l("This field is required.")


class DecimalText(StringField):
    """A number typed as text, read exactly as a Decimal (``12.5``, ``１２``); empty is None."""

    def process_formdata(self, valuelist):
        self.data = None
        self.raw = valuelist[0] if valuelist else ""
        text = (self.raw or "").strip().replace("，", ".").replace(",", ".")
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValueError(_l("Enter a number, e.g. 12.5."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f")


def _choices(enum):
    return [(member.value, label(member)) for member in enum]


class CompetitionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=REQUIRED), Length(max=32)],
        description=_l("Short and unique, e.g. LH-2026. Used in files and URLs."),
    )
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    level = SelectField(_l("Level"))
    kind = SelectField(_l("Kind"))
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(message=REQUIRED)])
    organisation = StringField(
        _l("Organising body"),
        validators=[DataRequired(message=REQUIRED), Length(max=200)],
        description=_l("The trade union, HR bureau or enterprise that runs it."),
    )
    organisers = SelectMultipleField(_l("Organisers"), coerce=int, validate_choice=False)
    self_registration = BooleanField(_l("Contestants may register themselves"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = _choices(Level)
        self.kind.choices = _choices(CompetitionKind)


class EventForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=REQUIRED), Length(max=32)],
        description=_l("Short and unique within the competition, e.g. ROBOT."),
    )
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    is_team = BooleanField(_l("Team event (entries are teams with named members)"))
    aggregation = SelectField(
        _l("Combining the judges' marks"),
        description=_l(
            "For marks and deduction criteria. A trimmed mean drops the highest and the "
            "lowest mark when enough judges marked."
        ),
    )
    min_judges_to_trim = IntegerField(
        _l("Judges needed to trim"),
        default=5,
        validators=[Optional(), NumberRange(min=3, max=99)],
        description=_l("Trimmed mean only: below this number of judges the plain mean is used."),
    )
    tie_break = StringField(
        _l("Tie-break keys"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "In order, separated by commas: section:CODE, criterion:CODE or time "
            "(shorter time wins), e.g. section:P, criterion:P2, time."
        ),
    )
    discrepancy_share = DecimalText(
        _l("Discrepancy alert"),
        default=Decimal("0.2"),
        validators=[InputRequired(message=REQUIRED)],
        description=_l(
            "The chief judge is alerted when judges' marks differ by more than this share "
            "of the maximum (0.2 = 20 %)."
        ),
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.aggregation.choices = _choices(Aggregation)


class SectionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=32)])
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    weight = DecimalText(
        _l("Weight (%)"),
        validators=[InputRequired(message=REQUIRED)],
        description=_l("The weights of all sections total 100."),
    )


class CriterionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=REQUIRED), Length(max=32)],
        description=_l("Unique within the event, e.g. P1."),
    )
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    type = SelectField(
        _l("Type"),
        description=_l(
            "Marks: each judge gives 0 to the maximum. Judgement: each judge gives 0–3, "
            "counted as mean ÷ 3 × maximum. Deduction: penalty points taken off the section."
        ),
    )
    max_mark = DecimalText(_l("Maximum"), validators=[InputRequired(message=REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = _choices(CriterionType)


class AwardTierForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=REQUIRED), Length(max=32)],
        description=_l("e.g. first, second, third."),
    )
    name_zh = StringField(_l("Chinese name"), validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    share = DecimalText(
        _l("Share of ranked entries"),
        description=_l("From 0 to 1, e.g. 0.1 for the top 10 %. Leave empty to give a count."),
    )
    count = IntegerField(
        _l("Number of entries"),
        validators=[Optional(), NumberRange(min=0, max=100000)],
        description=_l("Instead of a share: e.g. 3 for the best three."),
    )
    min_total = DecimalText(
        _l("Minimum total"),
        description=_l("Optional: entries below this total (0–100) do not get this award."),
    )
    recognition_zh = StringField(
        _l("Recognition (Chinese)"),
        validators=[Optional(), Length(max=200)],
        description=_l("What the award recommends, e.g. a craftsman title or skill level."),
    )
    recognition_en = StringField(
        _l("Recognition (English)"), validators=[Optional(), Length(max=200)]
    )


class CopySchemeForm(FlaskForm):
    source = SelectField(
        _l("Copy the scheme of"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message=REQUIRED)],
    )


class ImportSchemeForm(FlaskForm):
    file = FileField(_l("Scheme file (.json)"))
    text = TextAreaField(
        _l("…or paste the JSON"),
        validators=[Optional(), Length(max=500_000)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )


class ConfirmForm(FlaskForm):
    """A bare form: the CSRF token is the whole content of a confirmation."""


class DrawForm(FlaskForm):
    stations = TextAreaField(
        _l("Work stations"),
        validators=[Optional(), Length(max=20_000)],
        description=_l(
            "Separated by commas or lines; ranges like A1-A12 are allowed. Leave empty to "
            "draw numbers only."
        ),
    )
    confirm = BooleanField(
        _l("I understand that drawing again replaces every number and station"),
    )


class EntryStatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class FinishTimeForm(FlaskForm):
    finish = StringField(
        _l("Time taken"),
        validators=[Optional(), Length(max=20)],
        description=_l("h:mm:ss, e.g. 1:25:30. Empty clears it."),
    )
