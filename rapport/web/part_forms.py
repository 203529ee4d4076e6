"""Forms of the report editor: an introduction or area text, a highlight or outlook item, a
Council action. Choices come
from what the writer may read and mark (the services check again, whatever was sent)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.commitments.models import Commitment
from rapport.partnerships.models import Area
from rapport.reports.choices import CouncilActionKind
from rapport.reports.records import text_for

from .forms import ContributionForm, RecordsChoiceField, TaggedSelect, TaggedSelectMultiple


class PartForm(ContributionForm):
    """Text, marking, and for a highlight the commitments and evidence it rests on."""

    commitments = RecordsChoiceField(label=gettext_lazy("Commitments"), queryset=Commitment.objects.none(), required=False)
    EVIDENCE = ("formats", "meetings", "exercises", "activities")

    def __init__(self, *args, user, partnership, kind: str, **kwargs):
        super().__init__(*args, user=user, partnership=partnership, **kwargs)
        del self.fields["assessment"]
        text = self.fields.pop("narrative")
        text.label, text.help_text = _("Text"), _("What the report says, in the partnership's own words.")
        text.widget.attrs["rows"] = 5
        self.fields = {"text": text, **self.fields}
        self.fields["releasable_to"].help_text = _("Ignored for PUBLIC. A part every organisation approves must be "
                                                    "releasable to each of them.")
        self.kind = kind
        if kind == "highlight":
            field = self.fields["commitments"]
            field.widget = TaggedSelectMultiple(field="title", attrs={"size": 6})
            field.label_from_instance = lambda c: f"{c.ref} {text_for(c, 'title')[0]}"[:120]
            field.queryset = (Commitment.objects.visible_to(user).filter(partnership=partnership)
                              .with_marking().order_by("order", "ref"))
        else:
            for name in ("commitments", *self.EVIDENCE):
                del self.fields[name]
        if kind == "text":
            areas = list(Area.objects.visible_to(user).filter(partnership=partnership).order_by("order", "code"))
            # Each area by its name in the page's language, tagged where it has none.
            self.fields["area"] = forms.TypedChoiceField(
                label=_("Where it goes"), coerce=int, empty_value=None, required=False,
                choices=[("", _("The introduction")),
                         (_("Areas of cooperation"), [(a.pk, text_for(a, "name")[0]) for a in areas])],
                widget=TaggedSelect(field="name", records={a.pk: a for a in areas}),
                help_text=_("The report's introduction, or the joint text at the head of an area of cooperation."))
        if kind == "council-action":
            self.fields["action"] = forms.ChoiceField(label=_("What the Council did"), choices=CouncilActionKind.choices)
            self.fields["date"] = forms.DateField(label=_("Date"), required=False,
                                                  widget=forms.DateInput(attrs={"type": "date"}))
            self.fields["text"].required = False

    def evidence_records(self) -> list:
        if self.kind != "highlight":
            return []
        return super().evidence_records() + list(self.fields["commitments"].queryset)

    def links(self) -> dict | None:
        if self.kind != "highlight":
            return None
        d = self.cleaned_data
        return {"commitments": list(d.get("commitments") or []),
                **{kind: list(d.get(kind) or []) for kind in self.EVIDENCE}}

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {"text": d.get("text") or "", "classification": d["classification"],
                  "releasable_to": list(d.get("releasable_to") or []), **self.language_kwargs("text")}
        if self.kind == "highlight":
            kwargs["links"] = self.links()
        if self.kind == "council-action":
            kwargs.update(action=d["action"], date=d.get("date"))
        if self.kind == "text":
            kwargs["area"] = d.get("area")
        return kwargs
