"""The history of known objects (AuditQuerySet.for_object / for_objects) builds only those
models' read rules, and reads exactly the entries the whole log's rule gives."""

import pytest


@pytest.mark.django_db
def test_narrowed_history_reads_what_the_whole_rule_reads(make_user, write, commitments):
    from django.contrib.contenttypes.models import ContentType

    from rapport.audit.models import AuditEvent
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution

    nato = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    eu = make_user(org="eu", role="drafter", clearance=2)
    made = [write(nato, commitments[0], "NATO only", marking="NATO RESTRICTED", to=["nato"], submit=True),
            write(eu, commitments[0], "EU draft"),
            write(eu, commitments[1], "EU shared", submit=True)]
    readers = [nato, eu, make_user(org="eu", role="reader", clearance=0), make_user(org=None, delegation="FI"), None]
    cts = {m: ContentType.objects.get_for_model(m) for m in (Commitment, Contribution)}
    for reader in readers:
        narrowed = (AuditEvent.objects.for_object(commitments[0])
                    | AuditEvent.objects.for_objects(Contribution, [c.pk for c in made])).visible_to(reader)
        assert narrowed._about == frozenset({Commitment, Contribution})
        whole = AuditEvent.objects.visible_to(reader).filter(
            content_type__in=cts.values(), object_pk__in=[commitments[0].pk, *[c.pk for c in made]])
        whole = [e for e in whole if (e.content_type_id, e.object_pk) in
                 {(cts[Commitment].pk, commitments[0].pk), *((cts[Contribution].pk, c.pk) for c in made)}]
        assert sorted(e.pk for e in narrowed) == sorted(e.pk for e in whole), reader
    # Readers see different histories: the test compares something.
    counts = {len(list((AuditEvent.objects.for_objects(Contribution, [c.pk for c in made])).visible_to(r)))
              for r in readers}
    assert len(counts) > 1
    # Combined with an unnarrowed queryset, the whole rule applies again.
    assert (AuditEvent.objects.for_object(commitments[0]) | AuditEvent.objects.all())._about is None
