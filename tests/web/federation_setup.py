"""An organisation's instance for the web tests: this database plays the EU's, with NATO as its
peer (accredited up to NATO RESTRICTED). NATO's private key is held here, so packages can be
written as NATO's instance writes them (the same builders) and imported for real."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def eu_instance(settings, data_dir, accredited_up_to="NATO RESTRICTED") -> dict:
    from rapport.core import secretfiles
    from rapport.federation.identity import add_peer, level_by_name, set_identity
    from rapport.partnerships.models import Organisation

    settings.DATA_DIR = data_dir
    secretfiles.INSTANCE_SIGNING_KEY.ensure()
    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    set_identity(eu)
    nato_key = Ed25519PrivateKey.generate()
    pem = nato_key.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    peer = add_peer(organisation=nato, public_key_pem=pem, accredited_up_to=level_by_name(accredited_up_to))
    return {"eu": eu, "nato": nato, "peer": peer, "nato_key": nato_key, "received": []}


def receive_from_nato(instance: dict, contributions) -> object:
    """A package from NATO's instance holding these NATO contributions (written here, then removed:
    on the EU's instance they exist only once received), imported through the real import."""
    from rapport.federation import keys, package
    from rapport.federation.exporting import _object
    from rapport.federation.importing import import_package
    from rapport.markings.labels import partnership_schemes

    objects = [_object(c, partnership_schemes(c)) for c in contributions]
    for c in contributions:
        c.delete()
    received = instance["received"]
    body = {"format": package.FORMAT,
            "header": {"sender": "nato", "receiver": "eu", "partnership": "eu-nato", "sequence": len(received) + 1,
                       "previous": received[-1] if received else "", "created": "2026-11-26T10:00:00Z",
                       "sender_key": keys.fingerprint(instance["nato_key"].public_key())},
            "objects": objects}
    data = package.dump(body, keys.sign(package.canonical(body), instance["nato_key"]))
    received.append(package.sha256(data))
    return import_package(data)
