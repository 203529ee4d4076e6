"""'rapport demo': demonstration data that says what it is, follows the marking rules,
is audited like any write, and changes nothing the second time."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rapport.audit.models import AuditEvent
from rapport.audit.verify import verify_chain
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution, JointText
from rapport.core.errors import InputError
from rapport.seed.demo import DEMO_MARK, generate

pytestmark = pytest.mark.django_db


def test_scale_one_fills_the_open_period_with_marked_demonstration_text(eu_nato):
    from rapport.access.demo import ensure_demo_users

    ensure_demo_users(eu_nato)  # as 'rapport init' does: approved texts name their approver
    open_period = eu_nato.periods.get(state="open")
    commitments = Commitment.objects.filter(partnership=eu_nato).count()
    entries = AuditEvent.objects.count()
    summary = generate(eu_nato)
    made = Contribution.objects.filter(period=open_period)
    assert summary.commitments == 0 and summary.contributions == made.count() == 2 * commitments
    assert all(c.narrative.startswith(DEMO_MARK) for c in made)
    assert set(made.values_list("state", flat=True)) == {"draft", "submitted", "approved", "returned"}
    assert summary.joint_texts == JointText.objects.filter(period=open_period).count() > 0
    assert AuditEvent.objects.count() == entries + summary.contributions + summary.joint_texts
    assert verify_chain().ok
    # The marking rules of the services: own scheme, releasable to the own organisation, drafts stay home.
    for c in made.select_related("classification", "organisation").prefetch_related("releasable_to"):
        if c.classification.rank:
            assert c.classification.scheme_id == c.organisation.scheme_id
            assert c.organisation in c.releasable_to.all()
        if c.state in ("approved",):
            assert c.approved_revision.narrative == c.narrative and c.approved_by is not None
    drafts = made.filter(state__in=["draft", "returned"]).values_list("pk", flat=True)
    internal = AuditEvent.objects.for_objects(Contribution, drafts)
    assert internal.count() == len(drafts)
    assert all(e.classification.rank >= 1 and [o.pk for o in e.releasable_to.all()] == [e_org]
               for e, e_org in ((e, Contribution.objects.get(pk=e.object_pk).organisation_id) for e in internal))
    assert generate(eu_nato).already == summary.contributions  # a second run changes nothing
    assert Contribution.objects.filter(period=open_period).count() == summary.contributions


def test_scale_adds_demonstration_commitments_the_report_does_not_count_as_proposals(eu_nato):
    from rapport.reports.build import public_summary_markdown

    own = Commitment.objects.filter(partnership=eu_nato).count()
    summary = generate(eu_nato, scale=3)
    assert summary.commitments == 2 * own
    assert Commitment.objects.filter(partnership=eu_nato).count() == 3 * own
    assert Commitment.objects.filter(ref__startswith="DEMO-", mandate__kind="demonstration").count() == 2 * own
    assert Commitment.objects.filter(ref__startswith="DEMO-", classification__rank__gt=0).exists()
    assert summary.contributions == 2 * 3 * own
    assert "74 common proposals" in public_summary_markdown(eu_nato.periods.get(ordinal=8))
    assert verify_chain().ok


def test_a_larger_scale_adds_what_is_missing(eu_nato):
    own = Commitment.objects.filter(partnership=eu_nato).count()
    generate(eu_nato, scale=2)
    grown = generate(eu_nato, scale=3)
    assert grown.commitments == own and not grown.already
    refs = list(Commitment.objects.filter(ref__startswith="DEMO-").values_list("ref", flat=True))
    assert len(refs) == len(set(refs)) == 2 * own
    assert Contribution.objects.filter(narrative__startswith=DEMO_MARK).count() == 2 * 3 * own
    assert generate(eu_nato, scale=3).already and generate(eu_nato, scale=1).already


def test_without_approver_accounts_nothing_is_approved(eu_nato):
    generate(eu_nato)
    assert not Contribution.objects.filter(state="approved", narrative__startswith=DEMO_MARK).exists()
    assert not JointText.objects.filter(state="approved", text__startswith=DEMO_MARK).exists()


def test_bad_input_adds_nothing(eu_nato):
    before = Contribution.objects.count()
    with pytest.raises(InputError, match="1 or more"):
        generate(eu_nato, scale=0)
    with pytest.raises(CommandError, match="No partnership 'atlantis'"):
        call_command("demo", "--partnership", "atlantis")
    eu_nato.periods.filter(state="open").update(state="published")
    with pytest.raises(CommandError, match="Nothing was added"):
        call_command("demo")
    assert Contribution.objects.count() == before
