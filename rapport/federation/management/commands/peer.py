from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.commands import RapportCommand
from rapport.core.errors import InputError
from rapport.federation import keys
from rapport.federation.identity import (
    add_peer,
    level_by_name,
    organisation_by_key,
    own_organisation,
)
from rapport.federation.models import Direction, Package, Peer


class Command(RapportCommand):
    requires_system_checks: list[str] = []
    help = gettext_lazy("This instance's peers (other organisations' instances). 'rapport peer key' prints this instance's "
             "public key to give to a peer; 'rapport peer add ORG --key FILE --accredited-up-to LEVEL' pins a "
             "peer's key and the highest marking its network may receive; 'rapport peer list' shows the peers, "
             "their keys' fingerprints and the last exchange.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("key", help=gettext_lazy("Print this instance's public key (PEM) and its fingerprint."))
        add = sub.add_parser("add", help=gettext_lazy("Pin a peer's public key and its accreditation."))
        add.add_argument("organisation", help=gettext_lazy("The peer's organisation (its key, e.g. nato)."))
        add.add_argument("--key", required=True, help=gettext_lazy("A file holding the peer's public key (PEM)."))
        add.add_argument("--accredited-up-to", required=True,
                         help=gettext_lazy("The highest marking the peer's network may receive, e.g. 'NATO RESTRICTED'."))
        sub.add_parser("list", help=gettext_lazy("List the peers."))

    def handle(self, *args, action, **options):
        try:
            if action == "key":
                own = own_organisation()
                self.stdout.write(keys.own_public_pem().rstrip())
                self.stdout.write(_("Fingerprint: %(fp)s (%(org)s)") % {
                    "fp": keys.fingerprint(keys.own_public_key()),
                    "org": own.short_name if own else _("a single shared server")})
            elif action == "add":
                try:
                    pem = Path(options["key"]).read_text(encoding="utf-8")
                except (OSError, UnicodeError) as exc:
                    raise CommandError(_("Nothing was changed: cannot read %(file)s (%(why)s).")
                                       % {"file": options["key"], "why": exc}) from None
                peer = add_peer(organisation=organisation_by_key(options["organisation"]), public_key_pem=pem,
                                accredited_up_to=level_by_name(options["accredited_up_to"]))
                self.stdout.write(_("Peer %(org)s pinned: key %(fp)s, accredited up to %(level)s.") % {
                    "org": peer.organisation.short_name, "fp": peer.fingerprint, "level": peer.accredited_up_to.name})
            else:
                self._list()
        except InputError as exc:
            raise CommandError(_("Nothing was changed: %(error)s") % {"error": exc}) from None

    def _list(self):
        peers = Peer.objects.select_related("organisation", "accredited_up_to")
        if not peers:
            self.stdout.write(_("No peers."))
        for peer in peers:
            last = {d: Package.objects.filter(peer=peer, direction=d).order_by("-sequence").first()
                    for d in (Direction.SENT, Direction.RECEIVED)}
            sent, received = last[Direction.SENT], last[Direction.RECEIVED]
            said = [_("last sent: #%(n)s on %(at)s") % {"n": sent.sequence, "at": f"{sent.at:%Y-%m-%d %H:%M}"}
                    if sent else _("nothing sent"),
                    _("last received: #%(n)s on %(at)s") % {"n": received.sequence, "at": f"{received.at:%Y-%m-%d %H:%M}"}
                    if received else _("nothing received")]
            if peer.register_agrees is not None:
                said.append(_("register of commitments: the same") if peer.register_agrees
                            else _("register of commitments: DIFFERS (load the partnership's dataset on both)"))
            self.stdout.write(f"{peer.organisation.key:<8} {peer.fingerprint}  {peer.accredited_up_to.name:<24} "
                              + "; ".join(said))
