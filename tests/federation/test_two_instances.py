"""The EU's instance and NATO's, each with its own database, exchanging packages through the
``rapport`` command as their operators would (removable media between two networks)."""

from __future__ import annotations

import pytest

from .instances import Failed, Pair

WRITE = """
from rapport.access.models import User
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
org = Organisation.objects.get(key={org!r})
author = User.objects.create(username=org.key + "-writer", organisation=org, role="drafter",
                             clearance=ClassificationLevel.objects.get(scheme=org.scheme, rank=3))
period = ReportingPeriod.objects.filter(state="open").order_by("ordinal").first()
commitments = list(Commitment.objects.order_by("order", "ref")[:10])
for n, text, rank, submit in {rows!r}:
    c = services.create_contribution(actor=author, commitment=commitments[n], period=period, narrative=text,
        classification=ClassificationLevel.objects.get(scheme=org.scheme, rank=rank),
        releasable_to=list(Organisation.objects.filter(key__in=["eu", "nato"])))
    if submit:
        services.submit_contribution(actor=author, contribution=c)
"""

READ = """
from rapport.contributions.models import Contribution
from rapport.federation.models import ReceivedCopy
for c in Contribution.objects.order_by("pk"):
    copy = ReceivedCopy.objects.filter(local_id=c.pk).first()
    print(c.organisation.key, c.state, c.classification.name, "copy" if copy else "own", "|", c.narrative)
"""


def _write(instance, rows):
    """(commitment number, text, rank, submitted?) written by a drafter of the instance's organisation."""
    instance.shell(WRITE.format(org=instance.organisation, rows=rows))


def _rows(instance) -> list[str]:
    return [line for line in instance.shell(READ).splitlines() if "|" in line]


@pytest.mark.timeout(1800)  # two installations made from nothing, each command a new process
def test_two_instances_exchange_what_each_may_send():
    with Pair() as pair:
        _write(pair.eu, [(0, "EU progress, restricted, for both.", 2, True), (1, "EU draft stays home.", 0, False),
                         (2, "EU confidential, above the link.", 3, True)])
        _write(pair.nato, [(0, "NATO progress, public.", 0, True)])

        path, said = pair.send(pair.eu, pair.nato)
        assert "1 new" in said
        assert b"EU draft stays home" not in path.read_bytes() and b"above the link" not in path.read_bytes()
        _path, said = pair.send(pair.nato, pair.eu)
        assert "1 new" in said

        at_nato = _rows(pair.nato)
        assert "eu submitted RESTREINT UE/EU RESTRICTED copy | EU progress, restricted, for both." in at_nato
        assert not any("EU draft" in r or "above the link" in r for r in at_nato)
        assert "nato submitted PUBLIC copy | NATO progress, public." in _rows(pair.eu)

        # The same package again changes nothing; a package with a byte changed is refused.
        assert "nothing changed" in pair.nato.run("exchange", "import", str(path)).stdout
        data = path.read_bytes()
        at = data.index(b"EU progress")
        tampered = path.with_name("tampered.json")
        tampered.write_bytes(data[:at] + b"X" + data[at + 1:])
        with pytest.raises(Failed) as refused:
            pair.nato.run("exchange", "import", str(tampered))
        assert "Package refused" in refused.value.stderr and "signature does not verify" in refused.value.stderr

        # Sent again only once changed: nothing new, then the approval travels.
        _path, said = pair.send(pair.eu, pair.nato, "second")
        assert "0 new, 0 changed" in said
        pair.eu.shell("from rapport.access.models import User\nfrom rapport.contributions import services\n"
                      "from rapport.contributions.models import Contribution\n"
                      "writer = User.objects.get(username='eu-writer')\n"
                      "signer = User.objects.create(username='eu-signer', organisation=writer.organisation, "
                      "role='approver', clearance=writer.clearance)\n"
                      "c = Contribution.objects.get(narrative__startswith='EU progress')\n"
                      "services.approve_contribution(actor=signer, contribution=c)")
        _path, said = pair.send(pair.eu, pair.nato, "third")
        assert "0 new, 1 changed" in said
        assert "eu approved RESTREINT UE/EU RESTRICTED copy | EU progress, restricted, for both." in _rows(pair.nato)
        assert "last received: #3" in pair.nato.run("peer", "list").stdout

        # An instance is one organisation's for good.
        out = pair.eu.run("init", "--organisation", "nato", "--no-demo-users", check=False)
        assert out.returncode != 0 and "already belongs to EU" in out.stderr


SETUP = """
from rapport.access.models import User
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation
org = Organisation.objects.get(key={org!r})
level = ClassificationLevel.objects.get(scheme=org.scheme, rank=3)
for role in ("drafter", "approver", "coordinator"):
    User.objects.create(username=f"{{org.key}}-{{role}}", first_name=org.short_name, last_name=role.title(),
                        organisation=org, role=role, clearance=level)
"""

# Every snippet starts with the same names: the period, the users and the services.
PRELUDE = """
from rapport.access.models import User
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import JointText
from rapport.federation import joint_texts
from rapport.federation.models import Conflict
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation
from rapport.periods import services as periods
from rapport.periods.models import ReportingPeriod
from rapport.federation import report_parts
from rapport.federation.models import PartConflict
from rapport.reports import parts, workflow
from rapport.reports.models import Highlight, Outlook, Report, ReportText, SealedEdition
org = Organisation.objects.get(key={org!r})
both = list(Organisation.objects.filter(key__in=["eu", "nato"]))
public = ClassificationLevel.objects.get(scheme=org.scheme, rank=0)
period = ReportingPeriod.objects.get(ordinal=12)
c = list(Commitment.objects.order_by("order", "ref")[:10])
writer, signer, coordinator = (User.objects.get(username=f"{{org.key}}-{{r}}") for r in ("drafter", "approver", "coordinator"))
def joint(n):
    return JointText.objects.get(commitment=c[n], period=period)
def part(model, start):
    return model.objects.get(report__period=period, text__startswith=start)
"""


def _do(instance, code: str) -> str:
    return instance.shell(PRELUDE.format(org=instance.organisation) + code)


@pytest.mark.timeout(1800)
def test_two_instances_write_approve_and_publish_one_report():
    """EU and NATO write on their own instances, agree a joint text and the cycle's steps, and
    each approves the report; both instances publish the same public edition, byte for byte."""
    with Pair() as pair:
        for instance in (pair.eu, pair.nato):
            instance.shell(SETUP.format(org=instance.organisation))
            n = 0 if instance is pair.eu else 1
            _do(instance, f"x = services.create_contribution(actor=writer, commitment=c[{n}], period=period, "
                          f"narrative='{instance.organisation.upper()} progress for the public.', "
                          "classification=public, releasable_to=both)\n"
                          "x = services.submit_contribution(actor=writer, contribution=x)\n"
                          "services.approve_contribution(actor=signer, contribution=x)")
        _do(pair.eu, "services.create_joint_text(actor=writer, commitment=c[2], period=period, "
                     "text='The joint text, as the EU first drafted it.', classification=public, releasable_to=both)")
        _path, said = pair.send(pair.eu, pair.nato)
        assert "register of commitments differs" not in said  # both loaded the same dataset
        assert "register of commitments: the same" in pair.nato.run("peer", "list").stdout
        # NATO rewrites the EU's draft and approves its own organisation's version.
        _do(pair.nato, "jt = joint(2)\nassert jt.text.startswith('The joint text, as the EU'), jt.text\n"
                       "jt = services.edit_joint_text(actor=writer, joint_text=jt, base_version=jt.version, "
                       "text='The joint text, in the wording NATO proposed.')\n"
                       "services.approve_joint_text(actor=signer, joint_text=jt)")
        pair.send(pair.nato, pair.eu)
        out = _do(pair.eu, "jt = joint(2)\nprint(jt.state, '|', jt.text)\n"
                           "jt = services.approve_joint_text(actor=signer, joint_text=jt)\nprint(jt.state)")
        assert "in_approval | The joint text, in the wording NATO proposed." in out and "approved" in out.split()[-1]
        pair.send(pair.eu, pair.nato)
        assert "approved" in _do(pair.nato, "print(joint(2).state)")

        # Both rewrite another joint text between two exchanges: a conflict on both sides, never a silent overwrite.
        _do(pair.eu, "services.create_joint_text(actor=writer, commitment=c[3], period=period, "
                     "text='A second joint text.', classification=public, releasable_to=both)")
        pair.send(pair.eu, pair.nato, "k1")
        for instance, words in ((pair.eu, "as the EU would have it"), (pair.nato, "as NATO would have it")):
            _do(instance, f"jt = joint(3)\nservices.edit_joint_text(actor=writer, joint_text=jt, "
                          f"base_version=jt.version, text='A second joint text, {words}.')")
        _path, said = pair.send(pair.eu, pair.nato, "k2")
        assert "1 joint text(s) changed on both sides" in said
        _path, said = pair.send(pair.nato, pair.eu, "k3")
        assert "1 joint text(s) changed on both sides" in said
        out = _do(pair.eu, "from rapport.core.errors import Refused\njt = joint(3)\n"
                           "try:\n    services.approve_joint_text(actor=signer, joint_text=jt)\n"
                           "except Refused as e:\n    print('refused:', e)\n"
                           "print(jt.text)")
        assert "resolve the conflict first" in out and "as the EU would have it" in out
        _do(pair.eu, "conflict = Conflict.objects.get(joint_text=joint(3), resolved_at__isnull=True)\n"
                     "joint_texts.resolve_conflict(actor=writer, conflict=conflict, keep='theirs')")
        pair.send(pair.eu, pair.nato, "k4")
        for instance in (pair.eu, pair.nato):
            out = _do(instance, "print(Conflict.objects.filter(resolved_at__isnull=True).count(), '|', joint(3).text)")
            assert out.strip().endswith("0 | A second joint text, as NATO would have it."), out

        # The cycle's steps: each coordinator agrees on their own instance; the period moves on both.
        for step in ("close_contributions", "prepare_report"):
            _do(pair.eu, f"periods.agree(actor=coordinator, period=period, step={step!r})")
            pair.send(pair.eu, pair.nato, f"{step}-1")
            _do(pair.nato, f"periods.agree(actor=coordinator, period=period, step={step!r})")
            pair.send(pair.nato, pair.eu, f"{step}-2")
        for instance in (pair.eu, pair.nato):
            assert "in_preparation True" in _do(instance, "print(period.state, Report.objects.filter(period=period).exists())")

        # The report's parts: written on either instance, edited by the other, approved by both.
        _do(pair.eu, "r = Report.objects.get(period=period)\n"
                     "parts.create_highlight(actor=coordinator, report=r, text='Highlight: the EU drafted it.', "
                     "classification=public, releasable_to=both, links={'commitments': [c[0].pk]})\n"
                     "parts.create_text(actor=coordinator, report=r, text='Introduction, soon deleted.', "
                     "classification=public, releasable_to=both)")
        _do(pair.nato, "r = Report.objects.get(period=period)\n"
                       "parts.create_outlook(actor=coordinator, report=r, text='Outlook: NATO drafted it.', "
                       "classification=public, releasable_to=both)\n"
                       "parts.create_highlight(actor=coordinator, report=r, text='Highlight: NATO wrote a second.', "
                       "classification=public, releasable_to=both)")
        pair.send(pair.eu, pair.nato, "parts-1")
        pair.send(pair.nato, pair.eu, "parts-2")
        listing = ("for m in (Highlight, Outlook, ReportText):\n"
                   "    for p in m.objects.filter(report__period=period).order_by('text'):\n"
                   "        print('part', m.__name__, p.state, '|', p.text, '|', [x.ref for x in getattr(p, 'commitments', "
                   "Highlight.objects.none()).all()] if m is Highlight else '')")
        seen = {instance.organisation: sorted(line for line in _do(instance, listing).splitlines()
                                              if line.startswith("part"))
                for instance in (pair.eu, pair.nato)}
        assert seen["eu"] == seen["nato"] and len(seen["eu"]) == 4, seen
        # NATO rewrites the EU's highlight (its commitment goes with it) and deletes the EU's introduction.
        _do(pair.nato, "h = part(Highlight, 'Highlight: the EU')\n"
                       "parts.edit_part(actor=coordinator, part=h, base_version=h.version, "
                       "text='Highlight: the EU drafted it, NATO sharpened it.', classification=public, "
                       "releasable_to=both, links={'commitments': [c[0].pk]})\n"
                       "parts.delete_part(actor=coordinator, part=part(ReportText, 'Introduction'))")
        pair.send(pair.nato, pair.eu, "parts-3")
        out = _do(pair.eu, "print(part(Highlight, 'Highlight: the EU').text, '|', "
                           "[x.ref for x in part(Highlight, 'Highlight: the EU').commitments.all()] == [c[0].ref], '|', "
                           "ReportText.objects.filter(report__period=period).count())")
        assert out.strip().endswith("Highlight: the EU drafted it, NATO sharpened it. | True | 0"), out
        # Both rewrite NATO's outlook between two exchanges: a conflict on both sides.
        for instance, words in ((pair.eu, "words of the EU"), (pair.nato, "words of NATO")):
            _do(instance, "o = part(Outlook, 'Outlook')\n"
                          f"parts.edit_part(actor=coordinator, part=o, base_version=o.version, text='Outlook in {words}.', "
                          "classification=public, releasable_to=both)")
        _path, said = pair.send(pair.eu, pair.nato, "parts-4")
        assert "1 report part(s) changed on both sides" in said, said
        _path, said = pair.send(pair.nato, pair.eu, "parts-5")
        assert "1 report part(s) changed on both sides" in said, said
        out = _do(pair.nato, "from rapport.core.errors import Refused\n"
                             "try:\n    parts.approve_part(actor=signer, part=part(Outlook, 'Outlook'))\n"
                             "except Refused as e:\n    print('refused:', e)")
        assert "resolve the conflict first" in out, out
        _do(pair.nato, "o = part(Outlook, 'Outlook')\n"
                       "conflict = PartConflict.objects.get(kind='outlook', part_id=o.pk, resolved_at__isnull=True)\n"
                       "report_parts.resolve_conflict(actor=coordinator, conflict=conflict, keep='theirs')")
        pair.send(pair.nato, pair.eu, "parts-6")
        for instance in (pair.eu, pair.nato):
            out = _do(instance, "print(PartConflict.objects.filter(resolved_at__isnull=True).count(), '|', "
                                "part(Outlook, 'Outlook').text)")
            assert out.strip().endswith("0 | Outlook in words of the EU."), out
        # Each organisation's approver approves every part on its own instance; the approvals travel signed.
        approve_all = ("for m in (Highlight, Outlook):\n"
                       "    for p in m.objects.filter(report__period=period):\n"
                       "        parts.approve_part(actor=signer, part=p)")
        _do(pair.eu, approve_all)
        pair.send(pair.eu, pair.nato, "parts-7")
        _do(pair.nato, approve_all)
        pair.send(pair.nato, pair.eu, "parts-8")
        seen = {instance.organisation: sorted(line for line in _do(instance, listing).splitlines()
                                              if line.startswith("part"))
                for instance in (pair.eu, pair.nato)}
        assert seen["eu"] == seen["nato"] and all(" approved |" in line for line in seen["eu"]), seen
        assert len(seen["eu"]) == 3, seen

        # Each organisation approves the report on its own instance; each counts the other's signed approval.
        _do(pair.eu, "workflow.approve_report(actor=signer, report=Report.objects.get(period=period))")
        _path, said = pair.send(pair.eu, pair.nato, "report-1")
        _do(pair.nato, "workflow.approve_report(actor=signer, report=Report.objects.get(period=period))")
        pair.send(pair.nato, pair.eu, "report-2")
        hashes = {}
        for instance in (pair.eu, pair.nato):
            out = _do(instance, "r = Report.objects.get(period=period)\nprint('state', r.state)\n"
                                "workflow.publish_report(actor=coordinator, report=r)\n"
                                "for s in SealedEdition.objects.filter(report=r, edition='public').order_by('format', "
                                "'language'):\n"
                                "    print('seal', s.format, s.language, s.sha256, s.content_sha256)")
            assert "state approved" in out, out
            hashes[instance.organisation] = sorted(line for line in out.splitlines() if line.startswith("seal"))
        assert len(hashes["eu"]) == 10 and hashes["eu"] == hashes["nato"], hashes  # 5 formats, English and French
        for instance in (pair.eu, pair.nato):  # the parts both wrote are in what both published, by one name
            out = _do(instance, "s = SealedEdition.objects.get(report__period=period, edition='public', format='md', "
                                "language='en')\n"
                                "print(s.content)")
            for words in ("NATO sharpened it", "NATO wrote a second", "Outlook in words of the EU", '"highlight:eu:',
                          '"highlight:nato:', '"outlook:nato:'):
                assert words in out, (instance.organisation, words)
            assert "soon deleted" not in out
        print("public edition on both instances:", *hashes["eu"], sep="\n  ")
