"""Who this instance is and who its peers are: the instance's organisation (set once, at
``rapport init --organisation``), and the peers pinned with ``rapport peer add``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from rapport.access.roles import Role
from rapport.audit.record import record
from rapport.core.errors import InputError
from rapport.core.registry import register
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation

from . import keys
from .models import Identity, Peer

PEER_SET_UP = "federation.peer_added"
IDENTITY_SET = "federation.identity_set"


def own_organisation():
    """This instance's organisation, or None on a single shared server."""
    identity = Identity.objects.select_related("organisation__scheme").first()
    return identity.organisation if identity else None


def require_identity():
    organisation = own_organisation()
    if organisation is None:
        raise InputError(_("This instance belongs to no organisation: it is a single shared server. "
                           "Run 'rapport init --organisation ORG' to make it one organisation's instance."))
    return organisation


def organisation_by_key(key: str, field: str = "organisation"):
    found = Organisation.objects.select_related("scheme").filter(key=key).first()
    if found is None:
        known = ", ".join(Organisation.objects.order_by("key").values_list("key", flat=True))
        raise InputError(_("No organisation %(key)s (known: %(known)s).") % {"key": repr(key), "known": known},
                         field=field)
    return found


def check_identity(key: str) -> None:
    """Refuse at once, before anything is loaded, to make this instance another organisation's."""
    current = own_organisation()
    if current is not None and current.key != key:
        raise InputError(_("This instance already belongs to %(org)s; it cannot become %(other)s's.")
                         % {"org": current.short_name, "other": key}, field="organisation")


@transaction.atomic
def set_identity(organisation) -> bool:
    """Make this instance ``organisation``'s; True if it was set now. Once set it never changes:
    an instance cannot become another organisation's."""
    current = Identity.objects.select_related("organisation").first()
    if current is not None:
        if current.organisation_id != organisation.pk:
            raise InputError(_("This instance already belongs to %(org)s; it cannot become %(other)s's.")
                             % {"org": current.organisation.short_name, "other": organisation.short_name},
                             field="organisation")
        return False
    others = (get_user_model().objects.filter(is_active=True, organisation__isnull=False)
              .exclude(organisation=organisation).exclude(pk__in=Peer.objects.values("actor_id")))
    if others.exists():
        raise InputError(_("This database holds active accounts of other organisations (%(names)s): an "
                           "organisation's instance holds only its own staff. Deactivate them first.")
                         % {"names": ", ".join(sorted(others.values_list("username", flat=True))[:5])},
                         field="organisation")
    Identity.objects.create(organisation=organisation)
    record(actor=None, verb=IDENTITY_SET, obj=organisation,
           message=f"This instance belongs to {organisation.short_name}; its public key is "
                   f"{keys.fingerprint(keys.own_public_key())}.")
    return True


def level_by_name(text: str, field: str = "accredited-up-to"):
    """A level given by name or abbreviation (any scheme), e.g. "NATO RESTRICTED" or "R-UE"."""
    found = list(ClassificationLevel.objects.select_related("scheme").filter(name__iexact=text)) or list(
        ClassificationLevel.objects.select_related("scheme").filter(abbreviation__iexact=text))
    if len(found) != 1:
        raise InputError(_("%(text)s is not the name of one classification level.") % {"text": repr(text)},
                         field=field)
    return found[0]


@transaction.atomic
def add_peer(*, organisation, public_key_pem: str, accredited_up_to) -> Peer:
    """Pin a peer's public key and the highest marking its network may receive. The peer's
    records are written here under an account of the peer's organisation that cannot sign in."""
    own = require_identity()
    if organisation.pk == own.pk:
        raise InputError(_("An instance is not its own peer."), field="organisation")
    if Peer.objects.filter(organisation=organisation).exists():
        raise InputError(_("%(org)s is already a peer; its key is pinned.") % {"org": organisation.short_name},
                         field="organisation")
    try:
        public_key = keys.load_public_pem(public_key_pem)
    except keys.BadKey as exc:
        raise InputError(_("The key file is not usable: %(why)s.") % {"why": exc}, field="key") from None
    if keys.fingerprint(public_key) == keys.fingerprint(keys.own_public_key()):
        raise InputError(_("That is this instance's own key, not the peer's."), field="key")
    # The peer's account reads at the accredited level in the peer's own scheme where it has one.
    clearance = (ClassificationLevel.objects.filter(scheme_id=organisation.scheme_id, rank=accredited_up_to.rank).first()
                 or accredited_up_to)
    username = f"peer-{organisation.key}"
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise InputError(_("An account named %(name)s exists already.") % {"name": username}, field="organisation")
    actor = User(username=username, organisation=organisation, role=Role.READER, clearance=clearance,
                 first_name=organisation.short_name, last_name="instance")
    actor.set_unusable_password()
    actor.save()
    peer = Peer.objects.create(organisation=organisation, public_key=public_key_pem.strip() + "\n",
                               fingerprint=keys.fingerprint(public_key), accredited_up_to=accredited_up_to, actor=actor)
    record(actor=None, verb=PEER_SET_UP, obj=organisation,
           message=f"Peer {organisation.short_name} pinned: key {peer.fingerprint}, accredited up to "
                   f"{accredited_up_to.name}.")
    return peer


def provenance(obj):
    """Where a record of this instance came from, if it is a peer's copy: its ``ReceivedCopy``
    (with the peer and the package), else None. The caller has already read ``obj`` through
    ``visible_to``; this says nothing more about it than its origin."""
    from .contents import KIND
    from .models import ReceivedCopy

    if obj._meta.label_lower != "contributions.contribution":
        return None
    return (ReceivedCopy.objects.select_related("peer__organisation", "package")
            .filter(kind=KIND, local_id=obj.pk).first())


@register("account_checks", "federation.own_staff_only")
def own_staff_only(*, organisation=None, delegation=None) -> None:
    """An organisation's instance makes accounts only for its own staff (and delegations, who
    read): another organisation's staff work on their own instance, which acts for it."""
    own = own_organisation()
    if own is not None and organisation is not None and organisation.pk != own.pk:
        raise InputError(_("This instance is %(own)s's: it holds only %(own)s's staff; %(other)s's staff have "
                           "their accounts on %(other)s's instance.")
                         % {"own": own.short_name, "other": organisation.short_name}, field="organisation")
