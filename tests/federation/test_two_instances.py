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
