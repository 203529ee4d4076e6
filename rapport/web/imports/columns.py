"""The template's columns, and how a cell's text becomes a value of the scheme.

The importer's choices are the ones the contribution form offers: the partnership's
assessment values, the levels of the importer's own organisation's scheme, and the
organisations of the partnership. A value outside them is an error naming the column."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import AssessmentValue

REFERENCE, COMMITMENT, STATE = "Reference", "Commitment", "State"
NARRATIVE, ASSESSMENT, MARKING, RELEASABLE = "Narrative", "Assessment", "Contribution marking", "Releasable to"
ROW_MARKING = "Row marking (not read)"
COLUMNS = [REFERENCE, COMMITMENT, STATE, NARRATIVE, ASSESSMENT, MARKING, RELEASABLE, ROW_MARKING]
READ = [REFERENCE, NARRATIVE, ASSESSMENT, MARKING, RELEASABLE]  # the columns an import reads
FIELD_COLUMNS = {"narrative": NARRATIVE, "assessment": ASSESSMENT, "classification": MARKING,
                 "releasable_to": RELEASABLE, "commitment": REFERENCE}
PUBLIC = "PUBLIC"


class CellError(ValueError):
    """A cell whose text is not one of the column's values."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Choices:
    """What the importer may put in the choice columns, and how each is read back."""

    assessments: list  # AssessmentValue, in scheme order
    levels: list  # ClassificationLevel of every scheme of the partnership (the own scheme's first)
    own_scheme_id: int | None
    organisations: list  # Organisation, key order
    own_organisation_id: int | None
    clearance_rank: int

    @classmethod
    def for_user(cls, user, partnership) -> Choices:
        orgs = list(partnership.organisations.order_by("key"))
        own = user.organisation if getattr(user, "organisation_id", None) else None
        own_scheme = own.scheme_id if own else None
        levels = sorted(ClassificationLevel.objects.filter(scheme_id__in={o.scheme_id for o in orgs}),
                        key=lambda lv: (lv.scheme_id != own_scheme, lv.scheme_id, lv.rank))
        return cls(list(AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id)),
                   levels, own_scheme, orgs, own.pk if own else None, user.clearance_rank)

    # Names as the template writes them ---------------------------------------------------

    def level_name(self, level) -> str:
        return PUBLIC if level.rank == 0 else level.name

    def offered_levels(self) -> list[str]:
        """The markings the importer may give: their own scheme, up to their clearance."""
        return [self.level_name(lv) for lv in self.levels
                if lv.scheme_id == self.own_scheme_id and lv.rank <= self.clearance_rank]

    def releasable_name(self, organisations) -> str:
        keys = {o.pk for o in organisations}
        return ", ".join(o.short_name for o in self.organisations if o.pk in keys)

    def offered_releasability(self) -> list[str]:
        """Every set of organisations that includes the importer's own (a marked text must)."""
        others = [o for o in self.organisations if o.pk != self.own_organisation_id]
        own = [o for o in self.organisations if o.pk == self.own_organisation_id]
        sets = [own + list(combo) for n in range(len(others), -1, -1) for combo in combinations(others, n)]
        return [self.releasable_name(s) for s in sets if s][:64]

    # Cells read back ------------------------------------------------------------------

    def assessment(self, text: str):
        if not text:
            return None
        for value in self.assessments:
            if _fold(text) in (_fold(value.label), _fold(value.key)):
                return value
        names = ", ".join(v.label for v in self.assessments)
        raise CellError(_("%(value)s is not a value of the assessment scale (leave it empty or write one of: "
                          "%(names)s)") % {"value": repr(text[:60]), "names": names})

    def level(self, text: str):
        if not text:
            raise CellError(_("choose a marking: nothing is saved without one"))
        wanted = _fold(text)
        for lv in self.levels:  # the own scheme first: its PUBLIC is the one meant
            if wanted in (_fold(lv.name), _fold(lv.abbreviation)) or (wanted == _fold(PUBLIC) and lv.rank == 0):
                return lv
        raise CellError(_("%(value)s is not a marking of your organisation's scheme (write one of: %(levels)s)")
                        % {"value": repr(text[:60]), "levels": ", ".join(self.offered_levels())})

    def releasable(self, text: str) -> list:
        chosen = []
        for part in text.replace(";", ",").split(","):
            name = _fold(part)
            if not name:
                continue
            org = next((o for o in self.organisations if name in (_fold(o.short_name), _fold(o.key))), None)
            if org is None:
                raise CellError(_("%(value)s is not an organisation of the partnership (write %(organisations)s, "
                                  "separated by commas)") % {
                    "value": repr(part.strip()[:40]),
                    "organisations": get_text_list([o.short_name for o in self.organisations], _("and"))})
            if org not in chosen:
                chosen.append(org)
        return chosen
