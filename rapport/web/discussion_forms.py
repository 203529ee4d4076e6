"""The comment form: a text, and a marking chosen among what the writer may give.

Offered levels are the writer's own scheme's, from the discussed text's rank up to
the writer's clearance; releasability only to the organisations the text is
releasable to (for a PUBLIC text: the partnership's). The form starts at the
text's own marking. ``rapport.discussions.services`` checks all of it again.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from rapport.discussions.models import COMMENT_MAX_LENGTH
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation

from .forms import RecordChoiceField, RecordsChoiceField


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=COMMENT_MAX_LENGTH,
        help_text=gettext_lazy("Name a colleague with @username to notify them (only if they may read the comment)."),
        error_messages={"required": gettext_lazy("Write the comment: an empty comment is not posted.")},
    )
    classification = RecordChoiceField(
        label=gettext_lazy("Marking"), queryset=ClassificationLevel.objects.none(), empty_label=None,
        help_text=gettext_lazy("At least the marking of the text it discusses, in your organisation's scheme."),
    )
    releasable_to = RecordsChoiceField(
        label=gettext_lazy("Releasable to"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=gettext_lazy("Only organisations the text is releasable to."),
    )

    def __init__(self, *args, user, subject, partnership, **kwargs):
        # Its own ids: the page of a report part also carries the part's form, with the same field names.
        kwargs.setdefault("auto_id", "comment_%s")
        super().__init__(*args, **kwargs)
        own = user.organisation if getattr(user, "organisation_id", None) else None
        floor = subject.classification.rank
        levels = (ClassificationLevel.objects.filter(scheme_id=own.scheme_id, rank__gte=floor,
                                                     rank__lte=user.clearance_rank).order_by("rank")
                  if own else ClassificationLevel.objects.none())
        field = self.fields["classification"]
        field.queryset = levels
        orgs = (subject.releasable_to.all() if floor > 0 else partnership.organisations.all()).order_by("key")
        self.fields["releasable_to"].queryset = orgs
        if not self.is_bound:
            self.initial.setdefault("classification", next((lvl for lvl in levels if lvl.rank == floor), None))
            self.initial.setdefault("releasable_to", list(orgs))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"text": d["text"], "classification": d["classification"],
                "releasable_to": list(d.get("releasable_to") or [])}
