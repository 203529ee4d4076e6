"""Write the content files of a dataset, and what partnership.yaml says once its
schemes and organisations exist (each organisation's default level).

References between records (area keys, commitment refs, evidence keys) are
resolved against the database, so each file may refer to what earlier files
of the same dataset, or an earlier load, created.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.commitments.models import Commitment, LeadUnit
from rapport.contributions.models import Contribution
from rapport.core.errors import InputError
from rapport.core.translations import clean_language, clean_translations, limits
from rapport.evidence import models as em
from rapport.markings.models import ClassificationLevel
from rapport.partnerships import models as pm
from rapport.periods.choices import PeriodState
from rapport.periods.models import ReportingPeriod
from rapport.reports.choices import PartState, ReportState
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report

from . import schema as s
from .upsert import Upserter


class ContentWriter:
    def __init__(self, partnership: pm.Partnership, upsert: Upserter, folder: Path):
        self.p = partnership
        self.upsert = upsert
        self.folder = folder
        self.orgs = {o.key: o for o in partnership.organisations.all()}
        self.pending_reports: list = []
        self.aliases: dict[str, str] = {}  # an earlier commitment ref -> its current ref (commitments.yaml)
        self.levels = list(ClassificationLevel.objects.filter(scheme__organisations__in=self.orgs.values()).distinct())

    def write(self, name: str, data: s.Strict) -> None:
        self.source = str(self.folder / name)
        getattr(self, "_" + name.removesuffix(".yaml"))(data)

    # helpers -----------------------------------------------------------------

    def fail(self, message: str, record: str, field: str = "") -> InputError:
        return InputError(message, source=self.source, record=record, field=field)

    def org(self, key: str, record: str, field: str) -> pm.Organisation:
        if key not in self.orgs:
            raise self.fail(_("unknown organisation %(key)s (this partnership has %(keys)s)")
                            % {"key": repr(key), "keys": ", ".join(sorted(self.orgs))}, record, field)
        return self.orgs[key]

    def lookup(self, model, record: str, field: str, what: str, **kwargs):
        obj = model.objects.filter(**kwargs).first()
        if obj is None:
            value = next(v for k, v in kwargs.items() if k != "partnership")
            raise self.fail(_("unknown %(what)s %(value)s") % {"what": what, "value": repr(value)}, record, field)
        return obj

    def commitments(self, refs: list[str], record: str, field: str = "commitments") -> list[Commitment]:
        """The commitments named by refs, an earlier ref (an alias) standing for the current one."""
        current = [self.aliases.get(r, r) for r in refs]
        found = {c.ref: c for c in Commitment.objects.filter(partnership=self.p, ref__in=current)}
        for ref, now in zip(refs, current, strict=True):
            if now not in found:
                raise self.fail(_("unknown commitment %(ref)s") % {"ref": repr(ref)}, record, field)
        return [found[r] for r in current]

    def marking(self, value: s.Marking, record: str) -> tuple[ClassificationLevel, list[pm.Organisation]]:
        name, releasable = (value, []) if isinstance(value, str) else (value.level, value.releasable_to)
        matches = [lv for lv in self.levels if name in (lv.name, lv.abbreviation)]
        if not matches:
            raise self.fail(_("unknown marking %(name)s") % {"name": repr(name)}, record, "marking")
        level = min(matches, key=lambda lv: lv.pk)
        orgs = [self.org(k, record, "marking.releasable_to") for k in releasable]
        if level.rank > 0 and not orgs:
            raise self.fail(_("%(marking)s needs releasable_to: at least one organisation") % {"marking": name}, record,
                            "marking.releasable_to")
        return level, orgs

    def content(self, model, lookup: dict, values: dict, item, record: str, m2m: dict | None = None):
        level, orgs = self.marking(item.marking, record)
        values = {**values, "classification": level}
        if hasattr(item, "sources") and any(f.name == "sources" for f in model._meta.fields):
            values["sources"] = item.sources
        return self.upsert(model, lookup, values, m2m={**(m2m or {}), "releasable_to": orgs},
                           source=self.source, record_label=record)

    def described(self, model, item: s.Described, record: str) -> dict:
        """The language and translations of a record described in words, checked as every
        text record's are (``core.translations``): an error names the record and the field."""
        try:
            language = clean_language(item.language)
            translations = clean_translations(item.translations, language=language, fields=model.TRANSLATED,
                                              what=model._meta.verbose_name, limits=limits(model))
        except InputError as error:
            raise self.fail(error.detail, record, error.field) from None
        return {"language": language, "translations": translations}

    @staticmethod
    def unique(items, attr: str, section: str, fail) -> None:
        seen: set = set()
        for i, item in enumerate(items):
            if getattr(item, attr) in seen:
                raise fail(_("%(field)s %(value)s appears twice") % {"field": attr, "value": repr(getattr(item, attr))},
                           f"{section}[{i}]", attr)
            seen.add(getattr(item, attr))

    # files ---------------------------------------------------------------------

    def _partnership(self, data: s.PartnershipFile) -> None:
        """Each organisation's default level, looked up in its own scheme only."""
        for i, o in enumerate(data.organisations):
            label = f"organisations[{i}] (key {o.key})"
            org = self.lookup(pm.Organisation, label, "key", gettext_lazy("organisation"), key=o.key)
            level = None
            if o.default_level is not None:
                level = ClassificationLevel.objects.filter(
                    Q(name=o.default_level) | Q(abbreviation=o.default_level), scheme_id=org.scheme_id).order_by("rank").first()
                if level is None:
                    raise self.fail(_("%(level)s is not a level of %(organisation)s's own scheme (%(scheme)s)")
                                    % {"level": repr(o.default_level), "organisation": org.short_name,
                                       "scheme": org.scheme.key}, label, "default_level")
            # A dataset without a default leaves the one an administrator chose in the console.
            if level is not None:
                self.upsert(pm.Organisation, {"key": o.key}, {"default_level": level}, source=self.source,
                            record_label=label)

    def _member_states(self, data: s.MemberStatesFile) -> None:
        self.unique(data.member_states, "code", "member_states", self.fail)
        for i, st in enumerate(data.member_states):
            label = f"member_states[{i}] (code {st.code})"
            state = self.upsert(pm.MemberState, {"code": st.code}, {"name": st.name, "sources": st.sources},
                                source=self.source, record_label=label)
            kept = []
            for j, m in enumerate(st.memberships):
                mlabel = f"{label}.memberships[{j}]"
                if m.left is not None and m.left <= m.joined:
                    raise self.fail(_("a membership must end after it starts"), mlabel, "left")
                for other in st.memberships[:j]:
                    if other.organisation == m.organisation and (other.left is None or other.left > m.joined) and (
                        m.left is None or m.left > other.joined
                    ):
                        raise self.fail(_("overlaps another membership of %(organisation)s") % {"organisation": m.organisation},
                                        mlabel, "joined")
                kept.append(self.upsert(
                    pm.Membership, {"state": state, "organisation": self.org(m.organisation, mlabel, "organisation"),
                                    "joined": m.joined}, {"left": m.left},
                    source=self.source, record_label=mlabel).pk)
            self._trim(pm.Membership.objects.filter(state=state).exclude(pk__in=kept))

    def _mandates(self, data: s.MandatesFile) -> None:
        self.unique(data.mandates, "key", "mandates", self.fail)
        for i, m in enumerate(data.mandates):
            label = f"mandates[{i}] (key {m.key})"
            if m.kind == "proposal_set" and m.proposal_count is None:
                raise self.fail(_("a proposal set needs its proposal_count"), label, "proposal_count")
            self.content(pm.Mandate, {"partnership": self.p, "key": m.key},
                         {"kind": m.kind, "title": m.title, "date": m.date, "summary": m.summary,
                          "proposal_count": m.proposal_count,
                          "count_variants": [v.model_dump() for v in m.count_variants],
                          "translations": s.names(m)},
                         m, label, m2m={"issued_by": [self.org(k, label, "issued_by") for k in m.issued_by]})

    def _areas(self, data: s.AreasFile) -> None:
        self.unique(data.areas, "key", "areas", self.fail)
        self.unique(data.areas, "code", "areas", self.fail)
        for i, a in enumerate(data.areas):
            label = f"areas[{i}] (key {a.key})"
            mandate = self.lookup(pm.Mandate, label, "introduced_by", gettext_lazy("mandate"), partnership=self.p, key=a.introduced_by)
            self.content(pm.Area, {"partnership": self.p, "key": a.key},
                         {"code": a.code, "name": a.name, "description": a.description,
                          "introduced_by": mandate, "order": a.order or i + 1, "translations": s.names(a)}, a, label)

    def _commitments(self, data: s.CommitmentsFile) -> None:
        self.unique(data.commitments, "ref", "commitments", self.fail)
        self._read_aliases(data)
        stored = set(Commitment.objects.filter(partnership=self.p).values_list("ref", flat=True))
        areas = {a.key: a for a in pm.Area.objects.filter(partnership=self.p)}
        mandates = {m.key: m for m in pm.Mandate.objects.filter(partnership=self.p)}
        created: dict[str, Commitment] = {}
        for i, c in enumerate(data.commitments):
            label = f"commitments[{i}] (ref {c.ref})"
            if c.set not in mandates:
                raise self.fail(_("unknown mandate %(key)s") % {"key": repr(c.set)}, label, "set")
            for fld, key in [("area", c.area), *(("themes", t) for t in c.themes)]:
                if key not in areas:
                    raise self.fail(_("unknown area %(key)s") % {"key": repr(key)}, label, fld)
            parent = None
            if c.parent:
                parent = created.get(self.aliases.get(c.parent, c.parent)) or self.commitments([c.parent], label,
                                                                                               "parent")[0]
            obj = self.content(Commitment, {"partnership": self.p, "ref": self._stored_ref(c, stored, label)},
                               {"ref": c.ref, "mandate": mandates[c.set], "area": areas[c.area], "parent": parent,
                                "title": c.title,
                                "text": c.text, "wording": c.wording, "confidence": c.confidence or "",
                                "due": c.due, "order": i + 1},
                               c, label, m2m={"themes": [areas[t] for t in c.themes]})
            created[c.ref] = obj
            for org_key, unit in c.lead_units.items():
                org = self.org(org_key, label, f"lead_units.{org_key}")
                if unit:
                    self.upsert(LeadUnit, {"commitment": obj, "organisation": org}, {"unit": unit},
                                source=self.source, record_label=f"{label}.lead_units.{org_key}")
        self._check_proposal_counts(data, mandates)

    def _read_aliases(self, data: s.CommitmentsFile) -> None:
        refs = {c.ref for c in data.commitments}
        for i, c in enumerate(data.commitments):
            label = f"commitments[{i}] (ref {c.ref})"
            for alias in c.aliases:
                if alias in refs:
                    raise self.fail(_("alias %(alias)s is the ref of a commitment in this file") % {"alias": repr(alias)},
                                    label, "aliases")
                if self.aliases.get(alias, c.ref) != c.ref:
                    raise self.fail(_("alias %(alias)s is also an alias of %(other)s")
                                    % {"alias": repr(alias), "other": repr(self.aliases[alias])}, label, "aliases")
                self.aliases[alias] = c.ref

    def _stored_ref(self, c: s.CommitmentIn, stored: set[str], label: str) -> str:
        """The ref the commitment is stored under now: its own, or an earlier one (an alias) it is renamed from."""
        found = stored & {c.ref, *c.aliases}
        old = sorted(found - {c.ref})
        if len(found) > 1:
            raise self.fail(_("the database holds %(ref)s and also its earlier ref(s) %(old)s; merge them by hand "
                              "before loading") % {"ref": repr(c.ref), "old": ", ".join(old)}, label, "aliases")
        return old[0] if old else c.ref

    def _check_proposal_counts(self, data: s.CommitmentsFile, mandates: dict[str, pm.Mandate]) -> None:
        """The file is the register: each proposal set must list exactly its endorsed count."""
        listed: dict[str, int] = {}
        for c in data.commitments:
            if not c.parent:
                listed[c.set] = listed.get(c.set, 0) + 1
        for m in mandates.values():
            if m.proposal_count is not None and listed.get(m.key, 0) != m.proposal_count:
                raise self.fail(_("mandate %(key)s endorsed %(endorsed)s proposals but the data has %(listed)s")
                                % {"key": repr(m.key), "endorsed": m.proposal_count, "listed": listed.get(m.key, 0)},
                                "commitments", "set")

    def _periods(self, data: s.PeriodsFile) -> None:
        self.unique(data.periods, "ordinal", "periods", self.fail)
        for i, pd in enumerate(data.periods):
            label = f"periods[{i}] (ordinal {pd.ordinal})"
            if pd.end < pd.start:
                raise self.fail(_("a period must end on or after its start"), label, "end")
            state = not_behind(ReportingPeriod, {"partnership": self.p, "ordinal": pd.ordinal}, pd.state,
                               PERIOD_ORDER)
            period = self.upsert(ReportingPeriod, {"partnership": self.p, "ordinal": pd.ordinal},
                                 {"start": pd.start, "end": pd.end, "contributions_due": pd.contributions_due,
                                  "joint_texts_due": pd.joint_texts_due, "approval_due": pd.approval_due,
                                  "report_due": pd.report_due, "state": state, "note": pd.note or ""},
                                 source=self.source, record_label=label)
            if pd.report is not None:
                # Reports cite evidence, and evidence cites periods: write reports last.
                self.pending_reports.append((self.source, period, pd.report, f"{label}.report"))

    def finish(self) -> None:
        for source, period, report, label in self.pending_reports:
            self.source = source
            self._report(period, report, label)

    def _report(self, period: ReportingPeriod, r: s.ReportIn, label: str) -> None:
        state = not_behind(Report, {"period": period}, r.state, REPORT_ORDER)
        report = self.content(Report, {"period": period},
                              {"title": r.title, "state": state, "presented_on": r.presented_on,
                               "presented_note": r.presented_note or ""}, r, label)
        # The parts of a published report are the record the organisations approved: they enter
        # its editions (reports/parts.py). Parts of a report still in the making stay in the
        # workflow the browser runs (a new row is a draft; a loaded row keeps its state).
        approved = {"state": PartState.APPROVED} if state == ReportState.PUBLISHED else {}
        for j, h in enumerate(r.highlights):
            hlabel = f"{label}.highlights[{j}]"
            evidence = self.evidence_by_key(h.evidence, hlabel)
            self.content(Highlight, {"report": report, "order": j + 1}, {"text": h.text, **approved}, h, hlabel,
                         m2m={"commitments": self.commitments(h.commitments, hlabel), **evidence})
        self._trim(Highlight.objects.filter(report=report, order__gt=len(r.highlights)))
        for j, o in enumerate(r.outlook):
            self.content(Outlook, {"report": report, "order": j + 1}, {"text": o.text, **approved}, o,
                         f"{label}.outlook[{j}]")
        self._trim(Outlook.objects.filter(report=report, order__gt=len(r.outlook)))
        for j, ca in enumerate(r.council_actions):
            calabel = f"{label}.council_actions[{j}]"
            org = self.org(ca.organisation, calabel, "organisation")
            self.upsert(CouncilAction, {"report": report, "organisation": org, "action": ca.action},
                        {"date": ca.date, "text": ca.text, "classification": report.classification, **approved},
                        m2m={"releasable_to": list(report.releasable_to.all())},
                        source=self.source, record_label=calabel)

    def _trim(self, queryset) -> None:
        """Rows the file no longer lists (e.g. a highlight removed from the YAML) are deleted."""
        from rapport.audit.record import record, snapshot
        from rapport.audit.verbs import Verb

        for obj in queryset:
            record(actor=self.upsert.actor, verb=Verb.RECORD_DELETED, obj=obj, before=snapshot(obj),
                   message=f"no longer in {self.source}", system_actor="data loader")
            self.upsert.deleted[obj._meta.label_lower] += 1
            obj.delete()

    def evidence_by_key(self, keys: list[str], record: str) -> dict[str, list]:
        found: dict[str, list] = {"formats": [], "meetings": [], "exercises": [], "activities": []}
        kinds = [("formats", em.CoordinationFormat), ("meetings", em.Meeting),
                 ("exercises", em.Exercise), ("activities", em.PartnerActivity)]
        for key in keys:
            for name, model in kinds:
                obj = model.objects.filter(partnership=self.p, key=key).first()
                if obj is not None:
                    found[name].append(obj)
                    break
            else:
                raise self.fail(_("unknown evidence %(key)s") % {"key": repr(key)}, record, "evidence")
        return found

    def _evidence(self, data: s.EvidenceFile) -> None:
        for section, attr in [("formats", "key"), ("meetings", "key"), ("exercises", "key"),
                              ("partner_countries", "code"), ("partner_activities", "key")]:
            self.unique(getattr(data, section), attr, section, self.fail)
        for i, f in enumerate(data.formats):
            label = f"formats[{i}] (key {f.key})"
            self.content(em.CoordinationFormat, {"partnership": self.p, "key": f.key},
                         {"kind": f.kind, "name": f.name, "started": f.started, "ended": f.ended,
                          "description": f.description, **self.described(em.CoordinationFormat, f, label)},
                         f, label, m2m={"commitments": self.commitments(f.commitments, label)})
        for i, m in enumerate(data.meetings):
            label = f"meetings[{i}] (key {m.key})"
            fmt = None
            if m.format:
                fmt = self.lookup(em.CoordinationFormat, label, "format", gettext_lazy("format"), partnership=self.p, key=m.format)
            self.content(em.Meeting, {"partnership": self.p, "key": m.key},
                         {"format": fmt, "date": m.date, "title": m.title, "summary": m.summary,
                          **self.described(em.Meeting, m, label)}, m, label,
                         m2m={"commitments": self.commitments(m.commitments, label)})
        for i, x in enumerate(data.exercises):
            label = f"exercises[{i}] (key {x.key})"
            self.content(em.Exercise, {"partnership": self.p, "key": x.key},
                         {"name": x.name, "kind": x.kind, "lead": self.org(x.lead, label, "lead") if x.lead else None,
                          "start": x.start, "end": x.end, "description": x.description,
                          **self.described(em.Exercise, x, label)}, x, label,
                         m2m={"commitments": self.commitments(x.commitments, label)})
        for i, c in enumerate(data.partner_countries):
            label = f"partner_countries[{i}] (code {c.code})"
            self.content(em.PartnerCountry, {"partnership": self.p, "code": c.code},
                         {"name": c.name, "region": c.region, "since": c.since}, c, label)
        for i, a in enumerate(data.partner_activities):
            label = f"partner_activities[{i}] (key {a.key})"
            country = None
            if a.country:
                country = self.lookup(em.PartnerCountry, label, "country", gettext_lazy("partner country"), partnership=self.p, code=a.country)
            period = None
            if a.period is not None:
                period = self.lookup(ReportingPeriod, label, "period", gettext_lazy("reporting period"), partnership=self.p,
                                     ordinal=a.period)
            self.content(em.PartnerActivity, {"partnership": self.p, "key": a.key},
                         {"country": country, "title": a.title, "description": a.description, "period": period,
                          **self.described(em.PartnerActivity, a, label)},
                         a, label, m2m={"commitments": self.commitments(a.commitments, label),
                                        "organisations": [self.org(k, label, "organisations") for k in a.organisations]})

    def _contributions(self, data: s.ContributionsFile) -> None:
        scheme = self.p.assessment_scheme
        for i, c in enumerate(data.contributions):
            label = f"contributions[{i}] ({c.organisation} on {c.commitment}, period {c.period})"
            org = self.org(c.organisation, label, "organisation")
            commitment = self.commitments([c.commitment], label, "commitment")[0]
            period = self.lookup(ReportingPeriod, label, "period", gettext_lazy("reporting period"), partnership=self.p,
                                 ordinal=c.period)
            assessment = None
            if c.assessment:
                assessment = pm.AssessmentValue.objects.filter(Q(key=c.assessment) | Q(label=c.assessment), scheme=scheme).first()
                if assessment is None:
                    raise self.fail(_("%(value)s is not a value of the scheme %(scheme)s")
                                    % {"value": repr(c.assessment), "scheme": repr(scheme.name)}, label, "assessment")
            evidence = self.evidence_by_key([*c.evidence.formats, *c.evidence.meetings, *c.evidence.exercises,
                                             *c.evidence.activities], label)
            self.content(Contribution, {"organisation": org, "commitment": commitment, "period": period},
                         {"narrative": c.narrative, "assessment": assessment, "state": c.state}, c, label, m2m=evidence)


# A dataset gives a period's or a report's state as it stands in the public record; the
# workflow in Rapport may have taken it further since (a report approved and published in
# the app, its period closed). Loading again never moves it back.
PERIOD_ORDER = tuple(PeriodState)  # the choices are declared in the order of the cycle
REPORT_ORDER = (ReportState.DRAFT, ReportState.APPROVED, ReportState.PUBLISHED)


def not_behind(model, lookup: dict, state: str, order: tuple) -> str:
    current = model.objects.filter(**lookup).values_list("state", flat=True).first()
    if current in order and state in order and order.index(current) > order.index(state):
        return current
    return state
