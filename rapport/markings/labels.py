"""A marked record's STANAG 4774 confidentiality label, as XML.

A record's marking — a level of one organisation's classification scheme and the
organisations it is releasable to — becomes:

* the **originator label** (``originatorConfidentialityLabel``) in the scheme the record is
  marked in: the scheme's security policy (``PolicyIdentifier``, with ``urn:oid:`` and the
  policy's object identifier), the level's name (``Classification``) and, above PUBLIC, a
  PERMISSIVE category "Releasable To" whose values are the organisations;
* an **alternative label** (``alternativeConfidentialityLabel``) for each other scheme of
  the record's partnership, at the level of equal rank (rank is Rapport's equivalence:
  NATO RESTRICTED ≡ RESTREINT UE/EU RESTRICTED).

ADatP-4774's schema allows one label per root element, so the labels travel together as
the STANAG 4778 binding does it: a ``BindingInformation`` whose ``MetadataBinding`` holds
one ``Metadata`` per label and a ``DataReference`` to the record (no signature: ADatP-4778
makes it optional). Names, values and ``CreationDateTime`` come from the record alone, so
the same record gives the same bytes.

The builders below are pure (they take the level, the values and the time); ``label_for``
reads what they need for one record a reader has already been allowed to read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from lxml import etree

from .querysets import PUBLIC_RANK

LABEL_NS = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
BINDING_NS = "urn:nato:stanag:4778:bindinginformation:1:0"
RELEASABLE_TO = "Releasable To"  # the permissive category's tag name (and the SPIF tag set's)
PERMISSIVE = "PERMISSIVE"
CONTENT_TYPE = "application/xml"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

_S = f"{{{LABEL_NS}}}"
_MB = f"{{{BINDING_NS}}}"


def _text(parent, tag: str, text: str, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    element.text = text
    return element


def timestamp(moment: datetime.datetime) -> str:
    """An xs:dateTime in UTC to the second: ``2026-11-26T08:15:00Z``."""
    if moment.tzinfo is None:
        raise ValueError("a label's time must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def confidentiality_information(scheme, level_name: str, rank: int,
                                releasable_to: Sequence[str]) -> etree._Element:
    """``ConfidentialityInformation`` of one level of ``scheme``: policy, classification and,
    above PUBLIC, the "Releasable To" category (no value: releasable to nobody)."""
    info = etree.Element(f"{_S}ConfidentialityInformation", nsmap={"slab": LABEL_NS})
    _text(info, f"{_S}PolicyIdentifier", scheme.policy, URI=f"urn:oid:{scheme.policy_oid}")
    _text(info, f"{_S}Classification", level_name)
    if rank != PUBLIC_RANK:
        category = etree.SubElement(info, f"{_S}Category", {"Type": PERMISSIVE, "TagName": RELEASABLE_TO})
        for value in releasable_to:
            _text(category, f"{_S}GenericValue", value)
    return info


def confidentiality_label(role: str, scheme, level_name: str, rank: int, releasable_to: Sequence[str],
                          created: datetime.datetime) -> etree._Element:
    """An ``originatorConfidentialityLabel`` (role "originator") or an
    ``alternativeConfidentialityLabel`` (role "alternative")."""
    if role not in ("originator", "alternative"):
        raise ValueError(f"no such label role: {role!r}")
    label = etree.Element(f"{_S}{role}ConfidentialityLabel", nsmap={"slab": LABEL_NS})
    label.append(confidentiality_information(scheme, level_name, rank, releasable_to))
    _text(label, f"{_S}CreationDateTime", timestamp(created))
    return label


def equivalents(level, schemes: Iterable) -> list[tuple[object, str]]:
    """(scheme, level name) of the level of equal rank in each other scheme that has one, in key order.
    Each scheme's ``levels`` are read from ``scheme.levels.all()`` (prefetch them)."""
    found = []
    for scheme in sorted(schemes, key=lambda s: s.key):
        if scheme.pk == level.scheme_id:
            continue
        match = next((lv for lv in scheme.levels.all() if lv.rank == level.rank), None)
        if match is not None:
            found.append((scheme, match.name))
    return found


def label_document(*, level, releasable_to: Sequence[str], schemes: Iterable, created: datetime.datetime,
                   reference: str) -> bytes:
    """The labels of one record as a STANAG 4778 ``BindingInformation`` (UTF-8 XML bytes):
    the originator label in ``level``'s scheme, then an alternative label per other scheme."""
    values = sorted(set(releasable_to)) if level.rank != PUBLIC_RANK else []
    root = etree.Element(f"{_MB}BindingInformation", nsmap={"mb": BINDING_NS, "slab": LABEL_NS})
    binding = etree.SubElement(etree.SubElement(root, f"{_MB}MetadataBindingContainer"), f"{_MB}MetadataBinding")
    labels = [("originator", level.scheme, level.name)]
    labels += [("alternative", scheme, name) for scheme, name in equivalents(level, schemes)]
    for role, scheme, name in labels:
        metadata = etree.SubElement(binding, f"{_MB}Metadata")
        metadata.append(confidentiality_label(role, scheme, name, level.rank, values, created))
    etree.SubElement(binding, f"{_MB}DataReference", URI=reference)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


# Reading what a record's label needs ------------------------------------------------------

PARTNERSHIP_PATHS = ("partnership", "commitment.partnership", "period.partnership", "report.period.partnership")
OWN_TIMES = ("updated", "created_at", "at")  # a record's own last-change time, where it keeps one


def partnership_of(obj):
    """The partnership a record belongs to, or None."""
    for path in PARTNERSHIP_PATHS:
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def partnership_schemes(obj) -> list:
    """The classification schemes of the organisations of the record's partnership (of every
    organisation when it has none), with their levels."""
    from rapport.markings.models import ClassificationScheme

    schemes = ClassificationScheme.objects.prefetch_related("levels")
    partnership = partnership_of(obj)
    if partnership is not None:
        schemes = schemes.filter(organisations__partnerships=partnership)
    else:
        schemes = schemes.filter(organisations__isnull=False)
    return list(schemes.distinct().order_by("key"))


def releasable_values(obj) -> list[str]:
    """The "Releasable To" values of a record: its organisations' short names, sorted."""
    return sorted(o.short_name for o in obj.releasable_to.all())


def own_time(obj) -> datetime.datetime | None:
    """When the record last changed, where it keeps that time itself (the API otherwise uses the
    latest audit entry about it that the reader may read: rapport/api/labels.py)."""
    for name in OWN_TIMES:
        value = getattr(obj, name, None)
        if isinstance(value, datetime.datetime):
            return value
    return None


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def label_for(obj, *, created: datetime.datetime | None = None, reference: str | None = None) -> bytes:
    """The label document of ``obj`` (read through ``visible_to`` by the caller), dated ``created``
    (by default the record's own time, else the Unix epoch)."""
    return label_document(
        level=obj.classification, releasable_to=releasable_values(obj), schemes=partnership_schemes(obj),
        created=created or own_time(obj) or EPOCH,
        reference=reference or f"urn:rapport:{obj._meta.label_lower}:{obj.pk}",
    )
