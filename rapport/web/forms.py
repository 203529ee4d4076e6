"""The contribution editor's form. Choices come from what the user may read and mark.

Choice fields that take record ids accept only what an id can be (the same
pattern as ids in addresses, ``converters.IdConverter``): a 30-digit number, a
negative number or a word is a field error, never a database error.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy

from rapport.contributions.translations import CODES, DEFAULT_LANGUAGE, NAMES
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.models import LEVEL_MARKINGS, ClassificationLevel
from rapport.partnerships.models import AssessmentValue, Organisation
from rapport.reports.records import text_for

from .converters import IdConverter

_ID = re.compile(IdConverter.regex)
NOT_AVAILABLE = gettext_lazy("Select a valid choice. That choice is not one of the available choices.")
ONE_NOT_AVAILABLE = gettext_lazy("Select valid choices. One of the chosen values is not one of the available choices.")


def _is_id(value) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def level_label(level: ClassificationLevel) -> str:
    """A classification level as a form offers it: its banner text in the active language as the
    scheme gives it (NATO DIFFUSION RESTREINTE on a French page), its name where the scheme gives
    none; PUBLIC for rank 0. Prefetch ``LEVEL_MARKINGS`` with the levels."""
    return level.banner() if level.rank else "PUBLIC"


class RecordChoiceIterator(ModelChoiceIterator):
    """Offers a field's records; classification levels always by ``level_label`` (with their marking
    texts prefetched), so that no form names a level in English on a page in another language."""

    def __init__(self, field):
        super().__init__(field)
        if self.queryset is not None and self.queryset.model is ClassificationLevel:
            self.queryset = self.queryset.prefetch_related(LEVEL_MARKINGS)

    def choice(self, obj):
        value, label = super().choice(obj)
        return (value, level_label(obj)) if isinstance(obj, ClassificationLevel) else (value, label)


class RecordChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField by id that refuses a value no id can have before asking the database.
    A level is named in the active language (``RecordChoiceIterator``)."""

    default_error_messages = {"invalid_choice": NOT_AVAILABLE}
    iterator = RecordChoiceIterator

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not _is_id(str(value) if isinstance(value, int) else value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class _Tagged:
    """Options that name records: an option whose name is not in the page's language (an area
    with no French name, an English assessment label) says its language (``lang``), as the pages'
    ``lang_attr`` filter does. ``field`` is the record's field the option shows; ``records`` maps
    a plain choice's value to its record (else the option's own instance)."""

    def __init__(self, *args, field: str, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.field, self.records = field, records

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from .templatetags.rapport_language import shown_language

        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        record = getattr(value, "instance", None) or (self.records or {}).get(value)
        lang = shown_language(record, self.field) if record is not None else ""
        if lang:
            option["attrs"] = {**option["attrs"], "lang": lang}
        return option


class TaggedSelect(_Tagged, forms.Select):
    """A select whose options name records, each tagged with its language where it is not the page's."""


class TaggedSelectMultiple(_Tagged, forms.SelectMultiple):
    """A multiple select whose options name records, each tagged with its language where it is not the page's."""


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField by id, with the same check on every value.

    Its error never repeats the value sent (Django's does)."""

    default_error_messages = {"invalid_choice": ONE_NOT_AVAILABLE, "invalid_pk_value": ONE_NOT_AVAILABLE}
    iterator = RecordChoiceIterator

    def _check_values(self, value):
        if not all(_is_id(str(v) if isinstance(v, int) else v) for v in value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


# The field each kind of evidence is named by in the editor's lists.
EVIDENCE_NAMES = {"formats": "name", "meetings": "title", "exercises": "name", "activities": "title"}


def _with_portion(field: str):
    """An evidence record's option: its name in the page's language where it holds one (else as
    written, and ``TaggedSelectMultiple`` says its language), a meeting's date, the portion marking."""
    def label(obj) -> str:
        name = text_for(obj, field)[0]
        if isinstance(obj, Meeting):
            name = f"{name} ({obj.date})"
        level = obj.classification
        return name if level.rank == 0 else f"({level.abbreviation}) {name}"
    return label


class ContributionForm(forms.Form):
    narrative = forms.CharField(
        label=gettext_lazy("Progress in this period"), widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("What your organisation did on this commitment in the period, with dates and facts."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the text"), choices=list(NAMES.items()), required=False,
        initial=DEFAULT_LANGUAGE)
    translations = forms.CharField(
        label=gettext_lazy("Translation"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Optional: the same text in the other language (in French for a text in English, "
                               "in English for one in French). It carries the text's marking and is approved with it."),
    )
    assessment = RecordChoiceField(
        label=gettext_lazy("Your organisation's assessment"), queryset=AssessmentValue.objects.none(), required=False,
        empty_label=gettext_lazy("Not assessed yet"), widget=TaggedSelect(field="label"),
    )
    classification = RecordChoiceField(
        label=gettext_lazy("Marking"), queryset=ClassificationLevel.objects.none(),
        empty_label=gettext_lazy("Choose a marking"),
        help_text=gettext_lazy("The highest marking of anything in the text, in your organisation's scheme. "
                               "Other organisations read it only if it is releasable to them."),
        error_messages={"required": gettext_lazy("Choose a marking: nothing is saved without one.")},
    )
    releasable_to = RecordsChoiceField(
        label=gettext_lazy("Releasable to"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("Ignored for PUBLIC."),
    )
    meetings = RecordsChoiceField(label=gettext_lazy("Meetings"), queryset=Meeting.objects.none(), required=False,
                                  widget=TaggedSelectMultiple(field=EVIDENCE_NAMES["meetings"]))
    exercises = RecordsChoiceField(label=gettext_lazy("Exercises"), queryset=Exercise.objects.none(), required=False,
                                   widget=TaggedSelectMultiple(field=EVIDENCE_NAMES["exercises"]))
    activities = RecordsChoiceField(label=gettext_lazy("Partner-country activities"),
                                    queryset=PartnerActivity.objects.none(), required=False,
                                    widget=TaggedSelectMultiple(field=EVIDENCE_NAMES["activities"]))
    formats = RecordsChoiceField(label=gettext_lazy("Coordination formats"),
                                 queryset=CoordinationFormat.objects.none(), required=False,
                                 widget=TaggedSelectMultiple(field=EVIDENCE_NAMES["formats"]))
    # Versions are positive integers that fit the column; anything else is a field error.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    EVIDENCE = ("formats", "meetings", "exercises", "activities")

    def __init__(self, *args, user, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = partnership.organisations.order_by("key")
        self.fields["assessment"].queryset = AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id)
        # Staff mark in their own organisation's scheme (access.marking_rules refuses any
        # other), so only its levels up to their clearance are offered: PUBLIC once.
        own = user.organisation if user.organisation_id else None
        levels = (ClassificationLevel.objects.filter(scheme_id=own.scheme_id, rank__lte=user.clearance_rank).order_by("rank")
                  if own else ClassificationLevel.objects.none())
        field = self.fields["classification"]
        field.queryset = levels  # named in the active language (``level_label``)
        # A new text starts at the organisation's default level when it has one the
        # writer may give; otherwise at "Choose a marking", so nothing is PUBLIC by accident.
        default = own.default_level if own and own.default_level_id else None
        field.initial = default if default is not None and default.scheme_id == own.scheme_id and default.rank <= user.clearance_rank else None
        if own is not None:
            self._show_in_own_scheme(own.scheme_id, levels)
        self.fields["releasable_to"].queryset = orgs
        self.fields["meetings"].queryset = Meeting.objects.visible_to(user).filter(partnership=partnership).order_by("-date")
        self.fields["exercises"].queryset = Exercise.objects.visible_to(user).filter(partnership=partnership)
        self.fields["activities"].queryset = PartnerActivity.objects.visible_to(user).filter(partnership=partnership)
        self.fields["formats"].queryset = CoordinationFormat.objects.visible_to(user).filter(partnership=partnership)
        for name in self.EVIDENCE:
            field = self.fields[name]
            field.queryset = field.queryset.select_related("classification").prefetch_related("releasable_to")
            field.widget.attrs["size"] = 6
            field.label_from_instance = _with_portion(EVIDENCE_NAMES[name])

    def _show_in_own_scheme(self, scheme_id, levels) -> None:
        """A saved marking of another scheme (e.g. the other organisation's PUBLIC) is
        shown as the equivalent level of the writer's own scheme, if it is offered."""
        current = self.initial.get("classification")
        if self.is_bound or not isinstance(current, ClassificationLevel) or current.scheme_id == scheme_id:
            return
        self.initial["classification"] = next((lvl for lvl in levels if lvl.rank == current.rank), None)

    def evidence_records(self) -> list:
        """Every record offered as evidence: their titles are on the page, so they raise its banner."""
        return [obj for name in self.EVIDENCE for obj in self.fields[name].queryset]

    def evidence(self) -> dict:
        return {kind: list(self.cleaned_data.get(kind) or []) for kind in self.EVIDENCE}

    @staticmethod
    def language_initial(record, field: str) -> dict:
        """The language fields of a saved record's form: its language and its translation."""
        other = next((code for code in CODES if code != record.language), "")
        return {"language": record.language, "translations": record.translation(field, other) if other else ""}

    def language_kwargs(self, field: str) -> dict:
        """The record's language and its translation into the other language, for the service;
        nothing (the record keeps both) when the form that was sent did not have them."""
        if self.add_prefix("language") not in self.data:
            return {}
        d = self.cleaned_data
        language = d.get("language") or DEFAULT_LANGUAGE
        other = next(code for code in CODES if code != language)
        return {"language": language, "translations": {other: {field: d.get("translations") or ""}}}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "narrative": d["narrative"], "assessment": d.get("assessment"), "classification": d["classification"],
            "releasable_to": list(d.get("releasable_to") or []), "evidence": self.evidence(),
            **self.language_kwargs("narrative"),
        }


class MessageForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
