"""Load a dataset folder into the database, atomically and idempotently.

    load_dataset(path) -> LoadSummary

The whole dataset is read and checked first (seed/read.py); then every record is
written inside one transaction, so any error leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from rapport.core.errors import InputError
from rapport.markings.models import ClassificationLevel, ClassificationScheme, LevelMarking
from rapport.partnerships import models as pm

from . import schema as s
from .read import read_dataset
from .upsert import Upserter
from .writers import ContentWriter


@dataclass
class LoadSummary:
    dataset: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def describe(self) -> str:
        """One line (the counts name the models as their tables do: 'commitment', 'membership')."""
        if not self.changed:
            return _("%(dataset)s: already up to date (%(count)s records unchanged).") % {
                "dataset": self.dataset, "count": self.unchanged}

        def counts(found: dict[str, int]) -> str:
            return ", ".join(f"{n} {label.split('.')[-1]}" for label, n in sorted(found.items()))

        text = _("%(dataset)s: created %(created)s") % {"dataset": self.dataset,
                                                        "created": counts(self.created) or _("nothing")}
        if self.updated:
            text += _("; updated %(updated)s") % {"updated": counts(self.updated)}
        if self.deleted:
            text += _("; removed %(removed)s") % {"removed": counts(self.deleted)}
        return text + _("; %(count)s unchanged.") % {"count": self.unchanged}


def load_dataset(folder: Path | str, *, actor=None, progress: bool = False) -> LoadSummary:
    folder = Path(folder)
    files = read_dataset(folder)
    upsert = Upserter(actor=actor)
    with transaction.atomic():
        partnership = _load_partnership(files["partnership.yaml"], upsert, str(folder / "partnership.yaml"))
        writer = ContentWriter(partnership, upsert, folder)
        writer.write("partnership.yaml", files["partnership.yaml"])  # each organisation's default level
        steps = [(name, data) for name, data in files.items() if name != "partnership.yaml"]
        for name, data in tqdm(steps, desc="Loading", unit="file", disable=None if progress else True, leave=False):
            writer.write(name, data)
        writer.finish()
    return LoadSummary(
        dataset=folder.name,
        created=dict(upsert.created),
        updated=dict(upsert.updated),
        deleted=dict(upsert.deleted),
        unchanged=sum(upsert.unchanged.values()),
    )


def _unique(items, attr: str, source: str, section: str) -> None:
    seen: set = set()
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            raise InputError(_("%(field)s %(value)s appears twice") % {"field": attr, "value": repr(value)},
                             source=source, record=f"{section}[{i}]", field=attr)
        seen.add(value)


def _load_partnership(data: s.PartnershipFile, upsert: Upserter, source: str) -> pm.Partnership:
    _unique(data.classification_schemes, "key", source, "classification_schemes")
    schemes = {}
    upsert.defer_audit()
    for i, sch in enumerate(data.classification_schemes):
        label = f"classification_schemes[{i}] (key {sch.key})"
        ranks = [lv.rank for lv in sch.levels]
        if 0 not in ranks:
            raise InputError(_("every scheme needs a PUBLIC level of rank 0"), source=source, record=label, field="levels")
        if len(set(ranks)) != len(ranks):
            raise InputError(_("two levels share a rank"), source=source, record=label, field="levels")
        scheme = upsert(ClassificationScheme, {"key": sch.key},
                        {"name": sch.name, "policy_name": sch.policy_name, "policy_id": sch.policy_id},
                        source=source, record_label=label)
        for j, lv in enumerate(sch.levels):
            level = upsert(ClassificationLevel, {"scheme": scheme, "rank": lv.rank},
                           {"name": lv.name, "abbreviation": lv.abbreviation},
                           source=source, record_label=f"{label}.levels[{j}] (rank {lv.rank})")
            _unique(lv.texts, "language", source, f"{label}.levels[{j}].texts")
            for k, text in enumerate(lv.texts):
                upsert(LevelMarking, {"level": level, "language": text.language},
                       {"banner": text.banner, "portion": text.portion, "source": text.source},
                       source=source, record_label=f"{label}.levels[{j}].texts[{k}] ({text.language})")
        schemes[sch.key] = scheme
    upsert.flush_audit()

    _unique(data.organisations, "key", source, "organisations")
    orgs = {}
    for i, org in enumerate(data.organisations):
        label = f"organisations[{i}] (key {org.key})"
        if org.scheme not in schemes:
            raise InputError(_("unknown classification scheme %(key)s") % {"key": repr(org.scheme)}, source=source, record=label, field="scheme")
        orgs[org.key] = upsert(
            pm.Organisation, {"key": org.key},
            {"name": org.name, "short_name": org.short_name, "council": org.council,
             "scheme": schemes[org.scheme], "colour": org.colour, "translations": s.names(org)},
            source=source, record_label=label)

    assessment = {}
    for i, sch in enumerate(data.assessment_schemes):
        label = f"assessment_schemes[{i}] (key {sch.key})"
        scheme = upsert(pm.AssessmentScheme, {"key": sch.key},
                        {"name": sch.name, "kind": sch.kind, "description": sch.description},
                        source=source, record_label=label)
        for j, v in enumerate(sch.values):
            upsert(pm.AssessmentValue, {"scheme": scheme, "key": v.key},
                   {"label": v.label, "score": v.score, "colour": v.colour},
                   source=source, record_label=f"{label}.values[{j}] (key {v.key})")
        assessment[sch.key] = scheme

    p = data.partnership
    label = f"partnership (key {p.key})"
    for key in p.organisations:
        if key not in orgs:
            raise InputError(_("unknown organisation %(key)s") % {"key": repr(key)}, source=source, record=label, field="organisations")
    for key in [p.assessment_scheme, *p.other_schemes]:
        if key not in assessment:
            field = "assessment_scheme" if key == p.assessment_scheme else "other_schemes"
            raise InputError(_("unknown assessment scheme %(key)s") % {"key": repr(key)}, source=source, record=label, field=field)
    partnership = upsert(
        pm.Partnership, {"key": p.key},
        {"name": p.name, "description": p.description, "assessment_scheme": assessment[p.assessment_scheme],
         "reporting_cadence": p.reporting_cadence, "translations": s.names(p)},
        m2m={"organisations": [orgs[k] for k in p.organisations],
             "other_schemes": [assessment[k] for k in p.other_schemes]},
        source=source, record_label=label)
    _unique(p.principles, "key", source, "partnership.principles")
    for i, pr in enumerate(p.principles):
        upsert(pm.Principle, {"partnership": partnership, "key": pr.key},
               {"text": pr.text, "agreed": pr.agreed, "order": i, "sources": pr.sources,
                "translations": s.names(pr)},
               source=source, record_label=f"partnership.principles[{i}] (key {pr.key})")
    return partnership
