"""One database playing the EU's instance, with NATO as its peer. NATO's private key is held
here, so tests can write packages as NATO's instance would (through the same builders)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rapport.core import secretfiles


@pytest.fixture
def instance_key(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    secretfiles.INSTANCE_SIGNING_KEY.ensure()
    return tmp_path


@pytest.fixture
def nato_key():
    return Ed25519PrivateKey.generate()


def pem(private_key) -> str:
    return private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.fixture
def eu_instance(eu_nato, instance_key, nato_key, level):
    """This instance is the EU's; NATO is its peer, accredited up to NATO RESTRICTED."""
    from rapport.federation.identity import add_peer, set_identity
    from rapport.partnerships.models import Organisation

    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    set_identity(eu)
    peer = add_peer(organisation=nato, public_key_pem=pem(nato_key), accredited_up_to=level("NATO RESTRICTED"))
    return {"eu": eu, "nato": nato, "peer": peer}


@pytest.fixture
def open_period(eu_nato):
    from rapport.periods.models import ReportingPeriod

    return ReportingPeriod.objects.filter(partnership=eu_nato, state="open").order_by("ordinal").first()
