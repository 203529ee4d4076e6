"""The evidence list (coordination formats, meetings, exercises, partner activities), one
kind at a time, built once for the page and for its spreadsheet: each row is the cells
both show and the records those cells come from (which give the row its marking). Linked
records are read through the visibility filter: a hidden format, country or commitment is
a blank, never a name."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.querysets import VisiblePrefetch

from .filters import FilterBoundField
from .queries import the_partnership


def _date(d) -> str:
    return d.isoformat() if d else ""


def _refs(obj) -> str:
    return ", ".join(c.ref for c in obj.visible_commitments)


@dataclass(frozen=True)
class Kind:
    label: str
    model: type
    columns: list
    order: tuple
    search: tuple  # the text fields the filter's words are looked for in
    related: tuple  # marked records a row names besides its commitments (prefetched through the filter)

    def cells(self, obj) -> list:
        raise NotImplementedError

    def sources(self, obj) -> list:
        """Per cell, the record and field whose text it shows (None where it shows none: dates,
        kinds, references), so that the page tags the cell with that text's language."""
        raise NotImplementedError


class Formats(Kind):
    def cells(self, obj):
        return [obj.name, obj.get_kind_display(), _date(obj.started), _date(obj.ended), _refs(obj)]

    def sources(self, obj):
        return [(obj, "name"), None, None, None, None]


class Meetings(Kind):
    def cells(self, obj):
        fmt = obj.format  # None if the reader may not read it (VisiblePrefetch)
        return [_date(obj.date), obj.title, fmt.name if fmt else "", _refs(obj)]

    def sources(self, obj):
        return [None, (obj, "title"), (obj.format, "name") if obj.format else None, None]


class Exercises(Kind):
    def cells(self, obj):
        return [obj.name, obj.get_kind_display(), obj.lead.short_name if obj.lead_id else "", _date(obj.start),
                _date(obj.end), _refs(obj)]

    def sources(self, obj):
        return [(obj, "name"), None, None, None, None, None]


class Activities(Kind):
    def cells(self, obj):
        country = obj.country  # None if the reader may not read it (VisiblePrefetch)
        return [obj.title, country.name if country else "", obj.period.ordinal if obj.period_id else "", _refs(obj)]

    def sources(self, obj):
        return [(obj, "title"), (obj.country, "name") if obj.country else None, None, None]


KINDS = {
    "meetings": Meetings(gettext_lazy("Meetings"), Meeting, [gettext_lazy("Date"), gettext_lazy("Title"), gettext_lazy("Format"), gettext_lazy("Commitments")],
                         ("-date", "key"), ("title", "summary"), ("format",)),
    "formats": Formats(gettext_lazy("Coordination formats"), CoordinationFormat,
                       [gettext_lazy("Name"), gettext_lazy("Kind"), gettext_lazy("Started"), gettext_lazy("Ended"), gettext_lazy("Commitments")], ("name", "key"),
                       ("name", "description"), ()),
    "exercises": Exercises(gettext_lazy("Exercises"), Exercise,
                           [gettext_lazy("Name"), gettext_lazy("Kind"), gettext_lazy("Lead"), gettext_lazy("Start"), gettext_lazy("End"), gettext_lazy("Commitments")],
                           ("start", "key"), ("name", "description"), ()),
    "activities": Activities(gettext_lazy("Partner activities"), PartnerActivity,
                             [gettext_lazy("Title"), gettext_lazy("Partner"), gettext_lazy("Period"), gettext_lazy("Commitments")],
                             ("key",), ("title", "description"), ("country",)),
}


class EvidenceFilterForm(forms.Form):
    bound_field_class = FilterBoundField

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[(k, v.label) for k, v in KINDS.items()])
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, data):
        super().__init__(data)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def value(self, name, default=""):
        """A field's value if it is valid (a refused field narrows nothing; the others still do)."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


@dataclass
class EvidenceRow:
    obj: object
    cells: list
    shown: list  # the marked records the cells come from
    sources: list  # per cell, (record, field) whose text it shows, or None

    @property
    def page_cells(self) -> list[tuple]:
        """(value, record, field) per cell, for the page to tag each with its text's language."""
        return [(value, *(source or (None, ""))) for value, source in zip(self.cells, self.sources, strict=True)]


@dataclass
class EvidenceListing:
    form: EvidenceFilterForm
    kind: str
    spec: Kind
    records: object  # the visible, filtered records of the kind, in list order

    def rows(self, records=None) -> list[EvidenceRow]:
        out = []
        for obj in self.records if records is None else records:
            shown = [obj, *obj.visible_commitments]
            shown += [linked for name in self.spec.related if (linked := getattr(obj, name)) is not None]
            out.append(EvidenceRow(obj, self.spec.cells(obj), shown, self.spec.sources(obj)))
        return out


def evidence_listing(user, params) -> EvidenceListing:
    form = EvidenceFilterForm(params or None)
    kind = form.value("kind", "meetings")
    spec = KINDS[kind]
    from rapport.commitments.models import Commitment

    commitments = Commitment.objects.visible_to(user).with_marking().order_by("order", "ref")
    records = (spec.model.objects.visible_to(user).with_marking().filter(partnership=the_partnership())
               .prefetch_related(VisiblePrefetch("commitments", user, queryset=commitments,
                                                 to_attr="visible_commitments")))
    for word in form.value("q").split():
        condition = Q()
        for name in spec.search:
            condition |= Q(**{f"{name}__icontains": word})
        records = records.filter(condition)
    # A linked format or country is named only if the reader may read it.
    records = records.prefetch_related(*(VisiblePrefetch(name, user) for name in spec.related))
    if kind == "exercises":
        records = records.select_related("lead")
    return EvidenceListing(form, kind, spec, records.order_by(*spec.order))

