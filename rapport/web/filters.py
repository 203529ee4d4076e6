"""The commitment list's filter: area, mandate, period, organisation, assessment and text.

A value that is not one of a field's choices (a 30-digit number, a negative
number, a word) is a field error shown beside the field; the list is then not
narrowed by the filter.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.contributions.choices import ContributionState
from rapport.contributions.listing import MISSING, NOT_ASSESSED, REPORTED, narrow_commitments
from rapport.partnerships.models import Area, AssessmentValue, Mandate, Organisation
from rapport.reports.records import text_for

from .forms import NOT_AVAILABLE, RecordChoiceField, TaggedSelect


class FilterBoundField(BoundField):
    """A filter field prints its own error after the widget: the filter bar shows
    widgets only, and a refused value must not look like an applied filter."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        return attrs

    def __str__(self):
        html = super().__str__()
        if not self.errors:
            return html
        return format_html('{}<span class="field-error" id="{}_error">{}</span>', html, self.auto_id, " ".join(self.errors))


class CommitmentFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    q = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    area = RecordChoiceField(label=gettext_lazy("Area"), queryset=Area.objects.none(), required=False,
                             empty_label=gettext_lazy("All areas"), widget=TaggedSelect(field="name"))
    mandate = RecordChoiceField(label=gettext_lazy("Mandate"), queryset=Mandate.objects.none(), required=False,
                                empty_label=gettext_lazy("All mandates"), widget=TaggedSelect(field="title"))
    period = forms.TypedChoiceField(label=gettext_lazy("Period"), coerce=int, required=False, error_messages={"invalid_choice": NOT_AVAILABLE})
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), required=False,
        empty_label=gettext_lazy("Either organisation"),
        to_field_name="key",
    )
    assessment = forms.ChoiceField(label=gettext_lazy("Assessment"), required=False, error_messages={"invalid_choice": NOT_AVAILABLE},
                                   widget=TaggedSelect(field="label"))
    status = forms.ChoiceField(label=gettext_lazy("Contribution"), required=False, error_messages={"invalid_choice": NOT_AVAILABLE},
                               choices=[("", gettext_lazy("Any")), (REPORTED, gettext_lazy("Has a contribution")),
                                        (MISSING, gettext_lazy("Not yet submitted")), *ContributionState.choices])
    mine = forms.BooleanField(label=gettext_lazy("Mine only"), required=False)

    def __init__(self, data, *, user, partnership, periods, current):
        super().__init__(data)
        self.user, self.partnership = user, partnership
        self.fields["area"].queryset = Area.objects.visible_to(user).filter(partnership=partnership).order_by("order")
        self.fields["mandate"].queryset = Mandate.objects.visible_to(user).filter(partnership=partnership).order_by("date")
        # Named in the page's language where the record gives a name in it (Area/Mandate.translations).
        self.fields["area"].label_from_instance = lambda area: area.local_name
        self.fields["mandate"].label_from_instance = lambda mandate: mandate.local_title
        self.fields["organisation"].queryset = partnership.organisations.order_by("key") if partnership else Organisation.objects.none()
        self.fields["period"].choices = [
            (p.ordinal, _("Period %(ordinal)s (%(start)s–%(end)s)") % {"ordinal": p.ordinal, "start": p.start.year,
                                                                      "end": p.end.year})
            for p in periods]
        self.fields["period"].initial = current.ordinal if current else None
        values = AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id) if partnership else []
        values = list(values)
        self.fields["assessment"].choices = [("", _("Any assessment"))] + [(v.key, text_for(v, "label")[0]) for v in values] + [
            (NOT_ASSESSED, _("Not assessed yet"))
        ]
        self.fields["assessment"].widget.records = {v.key: v for v in values}
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def period_ordinal(self, default):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("period"):
            return self.cleaned_data["period"]
        return default

    def apply(self, commitments, period):
        """Narrow a visible commitment queryset. Contribution conditions use visible contributions only."""
        if not self.is_valid():
            return commitments
        data = self.cleaned_data
        return narrow_commitments(commitments, self.user, period, q=data.get("q"), area=data.get("area"),
                                  mandate=data.get("mandate"), mine=data.get("mine"),
                                  organisation=data.get("organisation"), assessment=data.get("assessment"),
                                  status=data.get("status"))
