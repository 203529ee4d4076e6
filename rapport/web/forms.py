"""The contribution editor's form. Choices come from what the user may read and mark."""

from __future__ import annotations

from django import forms

from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import AssessmentValue, Organisation


def _with_portion(obj) -> str:
    level = obj.classification
    return str(obj) if level.rank == 0 else f"({level.abbreviation}) {obj}"


class ContributionForm(forms.Form):
    narrative = forms.CharField(
        label="Progress in this period", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What your organisation did on this commitment in the period, with dates and facts.",
    )
    assessment = forms.ModelChoiceField(
        label="Your organisation's assessment", queryset=AssessmentValue.objects.none(), required=False,
        empty_label="Not assessed yet",
    )
    classification = forms.ModelChoiceField(
        label="Marking", queryset=ClassificationLevel.objects.none(), empty_label=None,
        help_text="The highest marking of anything in the text. Other organisations read it only if it is releasable to them.",
    )
    releasable_to = forms.ModelMultipleChoiceField(
        label="Releasable to", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Ignored for PUBLIC.",
    )
    meetings = forms.ModelMultipleChoiceField(label="Meetings", queryset=Meeting.objects.none(), required=False)
    exercises = forms.ModelMultipleChoiceField(label="Exercises", queryset=Exercise.objects.none(), required=False)
    activities = forms.ModelMultipleChoiceField(label="Partner-country activities", queryset=PartnerActivity.objects.none(), required=False)
    formats = forms.ModelMultipleChoiceField(label="Coordination formats", queryset=CoordinationFormat.objects.none(), required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    EVIDENCE = ("formats", "meetings", "exercises", "activities")

    def __init__(self, *args, user, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = partnership.organisations.order_by("key")
        self.fields["assessment"].queryset = AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id)
        levels = ClassificationLevel.objects.filter(
            scheme__organisations__in=orgs, rank__lte=user.clearance_rank
        ).distinct().select_related("scheme").order_by("rank", "scheme__key")
        own_scheme = user.organisation.scheme_id if user.organisation_id else None
        # Public once (own scheme's), then every level of the user's own scheme first.
        self.fields["classification"].queryset = levels
        self.fields["classification"].label_from_instance = lambda lvl: lvl.name if lvl.rank else "PUBLIC"
        public = [lvl for lvl in levels if lvl.rank == 0]
        if public:
            keep = next((lvl for lvl in public if lvl.scheme_id == own_scheme), public[0])
            self.fields["classification"].queryset = levels.exclude(pk__in=[p.pk for p in public if p.pk != keep.pk])
        self.fields["releasable_to"].queryset = orgs
        self.fields["meetings"].queryset = Meeting.objects.visible_to(user).filter(partnership=partnership).order_by("-date")
        self.fields["exercises"].queryset = Exercise.objects.visible_to(user).filter(partnership=partnership)
        self.fields["activities"].queryset = PartnerActivity.objects.visible_to(user).filter(partnership=partnership)
        self.fields["formats"].queryset = CoordinationFormat.objects.visible_to(user).filter(partnership=partnership)
        for name in self.EVIDENCE:
            field = self.fields[name]
            field.queryset = field.queryset.select_related("classification").prefetch_related("releasable_to")
            field.widget.attrs["size"] = 6
            field.label_from_instance = _with_portion

    def evidence_records(self) -> list:
        """Every record offered as evidence: their titles are on the page, so they raise its banner."""
        return [obj for name in self.EVIDENCE for obj in self.fields[name].queryset]

    def evidence(self) -> dict:
        return {kind: list(self.cleaned_data.get(kind) or []) for kind in self.EVIDENCE}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "narrative": d["narrative"], "assessment": d.get("assessment"), "classification": d["classification"],
            "releasable_to": list(d.get("releasable_to") or []), "evidence": self.evidence(),
        }


class MessageForm(forms.Form):
    message = forms.CharField(label="Message", required=False, widget=forms.Textarea(attrs={"rows": 3}))
