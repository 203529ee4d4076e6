"""A classification scheme as an XML SPIF (Security Policy Information File), and back.

The export follows the Open XML SPIF schema 2.1 (namespace ``http://www.xmlspif.org/spif``,
the version the NATO labelling documents use) as far as Rapport has the values:

* ``securityPolicyId``: the scheme's policy name and object identifier;
* one ``securityClassification`` per level in rank order: ``name`` the level's name,
  ``lacv`` and ``hierarchy`` its rank, an ``equivalentClassification`` for the level of
  equal rank in each other scheme of the partnership, and ``markingData``: the banner
  text (``pageTopBottom``, the level's name) and the portion text (``portionMarking``),
  then the same two per language where the scheme gives them (``markingData`` with
  ``xml:lang``, e.g. NATO DIFFUSION RESTREINTE in French for NATO RESTRICTED);
* a ``securityCategoryTagSet`` "Releasable To": an enumerated permissive tag whose
  categories are the partnership's organisations (short names, as markings print them);
* ``equivalentPolicies``: the partnership's other schemes;
* ``extensions``: the scheme's key and name in Rapport, so an import finds it again.

``read_spif`` checks a file and returns what it says about the scheme, or raises an
``InputError`` naming the element at fault; ``services.import_scheme`` writes it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from rapport.core.errors import InputError

from .labels import RELEASABLE_TO, XML_DECLARATION
from .models import derived_oid
from .querysets import PUBLIC_RANK

SPIF_NS = "http://www.xmlspif.org/spif"
RAPPORT_NS = "urn:rapport:spif:1"
SCHEMA_VERSION = "2.1"
# ADatP-4774.1 Table 1: privilegeId and rbacId of a SPIF for STANAG 4774 labels.
PRIVILEGE_ID = "1.3.26.0.4774.5.24.1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OID_RE = re.compile(r"[0-2](\.(0|[1-9][0-9]*))+")
MAX_BYTES = 1_000_000
MAX_RANK = 20

_P = f"{{{SPIF_NS}}}"
_R = f"{{{RAPPORT_NS}}}"


def tag_set_oid(scheme) -> str:
    """The "Releasable To" tag set's object identifier: the project's own, under 2.25."""
    return derived_oid("scheme", scheme.key, "releasable-to")


def _marking(parent, phrase: str, code: str, language: str = "") -> None:
    data = etree.SubElement(parent, f"{_P}markingData", phrase=phrase)
    if language:
        data.set(XML_LANG, language)
    etree.SubElement(data, f"{_P}code").text = code


def _qualifier(parent, code: str, prefix: str, separator: str) -> None:
    qualifier = etree.SubElement(parent, f"{_P}markingQualifier", markingCode=code)
    etree.SubElement(qualifier, f"{_P}qualifier", markingQualifier=prefix, qualifierCode="prefix")
    etree.SubElement(qualifier, f"{_P}qualifier", markingQualifier=separator, qualifierCode="separator")


def portion_text(level) -> str:
    """The portion marking of a level, as the pages print it (PUBLIC is always "PUBLIC")."""
    return "PUBLIC" if level.rank == PUBLIC_RANK else level.abbreviation


def export_scheme(scheme, *, organisations, others, created: datetime.datetime, originator: str = "Rapport") -> bytes:
    """The SPIF of ``scheme`` (levels and their ``markings`` prefetched) as UTF-8 XML. ``organisations``: the values of
    "Releasable To"; ``others``: the partnership's other schemes (levels prefetched)."""
    root = etree.Element(f"{_P}SPIF", nsmap={"spif": SPIF_NS, "rapport": RAPPORT_NS}, schemaVersion=SCHEMA_VERSION,
                         version="1", creationDate=created.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%SZ"),
                         originatorDN=f"CN={originator}", keyIdentifier="00", privilegeId=PRIVILEGE_ID,
                         rbacId=PRIVILEGE_ID)
    etree.SubElement(root, f"{_P}securityPolicyId", name=scheme.policy, id=scheme.policy_oid)
    others = sorted((o for o in others if o.pk != scheme.pk), key=lambda o: o.key)
    classifications = etree.SubElement(root, f"{_P}securityClassifications")
    for level in sorted(scheme.levels.all(), key=lambda lv: lv.rank):
        element = etree.SubElement(classifications, f"{_P}securityClassification", name=level.name,
                                   lacv=str(level.rank), hierarchy=str(level.rank))
        for other in others:
            if any(lv.rank == level.rank for lv in other.levels.all()):
                etree.SubElement(element, f"{_P}equivalentClassification", policyRef=other.policy,
                                 lacv=str(level.rank), applied="both")
        _marking(element, level.name, "pageTopBottom")
        _marking(element, portion_text(level), "portionMarking")
        for text in sorted(level.markings.all(), key=lambda m: m.language):
            _marking(element, text.banner, "pageTopBottom", text.language)
            _marking(element, text.portion, "portionMarking", text.language)
    tag_sets = etree.SubElement(root, f"{_P}securityCategoryTagSets")
    tag_set = etree.SubElement(tag_sets, f"{_P}securityCategoryTagSet", name=RELEASABLE_TO, id=tag_set_oid(scheme))
    tag = etree.SubElement(tag_set, f"{_P}securityCategoryTag", name=RELEASABLE_TO, tagType="enumerated",
                           enumType="permissive", singleSelection="false")
    for lacv, organisation in enumerate(sorted(organisations, key=lambda o: o.key), start=1):
        etree.SubElement(tag, f"{_P}tagCategory", name=organisation.short_name, lacv=str(lacv))
    _qualifier(tag, "pageTopBottom", "releasable to ", ", ")
    _qualifier(tag, "portionMarking", "REL ", "/")
    if others:
        policies = etree.SubElement(root, f"{_P}equivalentPolicies")
        for other in others:
            etree.SubElement(policies, f"{_P}equivalentPolicy", name=other.policy, id=other.policy_oid)
    extensions = etree.SubElement(root, f"{_P}extensions")
    etree.SubElement(extensions, f"{_R}scheme", key=scheme.key, name=scheme.name)
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


# Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextIn:
    language: str
    banner: str
    portion: str


@dataclass(frozen=True)
class LevelIn:
    rank: int
    name: str
    abbreviation: str
    texts: tuple[TextIn, ...] = ()  # per language, in language order


@dataclass(frozen=True)
class SchemeIn:
    policy_name: str
    policy_id: str
    key: str | None  # from Rapport's extension, when the file has it
    name: str | None
    levels: tuple[LevelIn, ...]


def _fail(element, what: str, source: str):
    where = _path(element) if element is not None else _("the file")
    if element is not None and element.sourceline:
        return InputError(_("%(where)s (line %(line)s): %(what)s") % {"where": where, "line": element.sourceline,
                                                                       "what": what}, source=source)
    return InputError(_("%(where)s: %(what)s") % {"where": where, "what": what}, source=source)


def _path(element) -> str:
    """``SPIF/securityClassifications/securityClassification[2]``: the element, for a message."""
    parts = []
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == element.tag]
            if len(same) > 1:
                name += f"[{same.index(element) + 1}]"
        parts.append(name)
        element = parent
    return "/".join(reversed(parts))


def _attr(element, name: str, source: str, *, max_length: int = 256) -> str:
    value = (element.get(name) or "").strip()
    if not value:
        raise _fail(element, _("the attribute %(name)s is missing or empty") % {"name": name}, source)
    if len(value) > max_length or any(ord(c) < 32 for c in value):
        raise _fail(element, _("the attribute %(name)s is longer than %(max)s characters or holds control "
                               "characters") % {"name": name, "max": max_length}, source)
    return value


def _int(element, name: str, source: str) -> int:
    value = _attr(element, name, source)
    if not re.fullmatch(r"[0-9]{1,5}", value):
        raise _fail(element, _("the attribute %(name)s must be a whole number, not %(value)s")
                    % {"name": name, "value": repr(value)}, source)
    return int(value)


def _phrase(element, code: str, language: str | None = None) -> str | None:
    """The phrase of the ``markingData`` with this code, in ``language`` (None: the one without
    ``xml:lang``, the level's own)."""
    for data in element.iterfind(f"{_P}markingData"):
        if (data.get(XML_LANG) or None) != language:
            continue
        if any((c.text or "").strip() == code for c in data.iterfind(f"{_P}code")) and data.get("phrase"):
            return data.get("phrase").strip()
    return None


def _texts(element, name: str, abbreviation: str, source: str) -> tuple[TextIn, ...]:
    """The level's marking texts per language: each language with a banner or a portion text
    (the other one defaults to the level's own)."""
    texts = []
    languages = sorted({d.get(XML_LANG).strip() for d in element.iterfind(f"{_P}markingData") if d.get(XML_LANG)})
    for language in languages:
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise _fail(element, _("the xml:lang %(language)s is not a language code of two or three small "
                                   "letters (ISO 639), e.g. fr") % {"language": repr(language)}, source)
        banner = _phrase(element, "pageTopBottom", language) or name
        portion = _phrase(element, "portionMarking", language) or abbreviation
        if len(banner) > 100 or any(ord(c) < 32 for c in banner):
            raise _fail(element, _("the %(language)s banner text is longer than 100 characters or holds control "
                                   "characters") % {"language": language}, source)
        if len(portion) > 20 or any(ord(c) < 32 for c in portion):
            raise _fail(element, _("the %(language)s portion marking %(portion)s is longer than 20 characters or "
                                   "holds control characters") % {"language": language, "portion": repr(portion)},
                        source)
        texts.append(TextIn(language, banner, portion))
    return tuple(texts)


def read_spif(content: bytes, *, source: str = "the file") -> SchemeIn:
    """What a SPIF says about a scheme, checked; an ``InputError`` names the element at fault."""
    if len(content) > MAX_BYTES:
        raise InputError(_("the file is larger than %(max)s bytes") % {"max": MAX_BYTES}, source=source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(_("not well-formed XML: %(error)s") % {"error": exc}, source=source) from None
    if root.getroottree().docinfo.doctype:
        raise InputError(_("a DOCTYPE is not accepted in a SPIF"), source=source)
    if root.tag != f"{_P}SPIF":
        raise _fail(root, _("the root element must be SPIF in the namespace %(namespace)s") % {"namespace": SPIF_NS},
                    source)
    if root.get("schemaVersion") not in ("2.0", "2.1"):
        raise _fail(root, _("the attribute schemaVersion must be 2.0 or 2.1 (Open XML SPIF)"), source)
    policies = root.findall(f"{_P}securityPolicyId")
    if len(policies) != 1:
        raise _fail(root, _("a SPIF holds exactly one securityPolicyId"), source)
    policy_name = _attr(policies[0], "name", source)
    policy_id = _attr(policies[0], "id", source, max_length=200)
    if not OID_RE.fullmatch(policy_id):
        raise _fail(policies[0], _("the attribute id must be an object identifier (1.3.26.1.3.1), not %(value)s")
                    % {"value": repr(policy_id)}, source)
    container = root.find(f"{_P}securityClassifications")
    if container is None or not len(container.findall(f"{_P}securityClassification")):
        raise _fail(container if container is not None else root, _("no securityClassification"), source)
    levels: dict[int, LevelIn] = {}
    names: set[str] = set()
    for element in container.iterfind(f"{_P}securityClassification"):
        name = _attr(element, "name", source, max_length=100)
        rank = _int(element, "hierarchy", source)
        _int(element, "lacv", source)
        if rank > MAX_RANK:
            raise _fail(element, _("the hierarchy %(rank)s is above %(max)s") % {"rank": rank, "max": MAX_RANK}, source)
        if rank in levels:
            raise _fail(element, _("the hierarchy %(rank)s is also that of %(name)s")
                        % {"rank": rank, "name": repr(levels[rank].name)}, source)
        if name in names:
            raise _fail(element, _("the name %(name)s is used twice") % {"name": repr(name)}, source)
        if rank == PUBLIC_RANK and name != "PUBLIC":
            raise _fail(element, _("hierarchy 0 is PUBLIC in Rapport (released information, not an unclassified "
                                   "level): name it PUBLIC, not %(name)s") % {"name": repr(name)}, source)
        abbreviation = _phrase(element, "portionMarking") or _phrase(element, "portionMarking", "en") or name
        if len(abbreviation) > 20:
            raise _fail(element, _("the portion marking %(portion)s is longer than 20 characters (give a shorter "
                                   "markingData with the code portionMarking)") % {"portion": repr(abbreviation)},
                        source)
        levels[rank] = LevelIn(rank, name, abbreviation, _texts(element, name, abbreviation, source))
        names.add(name)
    if PUBLIC_RANK not in levels:
        raise _fail(container, _("Rapport's schemes start at PUBLIC: no securityClassification has hierarchy 0"),
                    source)
    own = root.find(f"{_P}extensions/{_R}scheme")
    key = name = None
    if own is not None:
        key = _attr(own, "key", source, max_length=50)
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", key):
            raise _fail(own, _("the attribute key must be a slug (letters, digits, - and _), not %(value)s")
                        % {"value": repr(key)}, source)
        name = _attr(own, "name", source, max_length=100)
    return SchemeIn(policy_name, policy_id, key, name, tuple(levels[r] for r in sorted(levels)))
