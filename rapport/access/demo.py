"""Demo accounts: one per role in each organisation, plus a member-state delegation.

Passwords are generated at first start, printed once and kept in
``<data dir>/demo-passwords.txt`` (readable by the owner only); they are never
committed.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import MemberState, Partnership

from .models import User
from .roles import Role

# Clearance rank per role for the demo: approvers and coordinators hold rank 3
# (CONFIDENTIAL), drafters 2 (RESTRICTED), readers 1.
DEMO_CLEARANCE = {Role.DRAFTER: 2, Role.COORDINATOR: 3, Role.APPROVER: 3, Role.READER: 1, Role.ADMINISTRATOR: 2}
DELEGATION_STATE = "FI"  # a state in both organisations: reads what is releasable to either


def passwords_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-passwords.txt"


@transaction.atomic
def ensure_demo_users(partnership: Partnership, organisations=None) -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet (of ``organisations``, by default every
    organisation of the partnership); return (username, password, description) for new ones."""
    created = []
    for org in organisations if organisations is not None else partnership.organisations.all():
        for role in Role:
            username = f"{org.key}-{'admin' if role == Role.ADMINISTRATOR else role.value}"
            if User.objects.filter(username=username).exists():
                continue
            clearance = ClassificationLevel.objects.get(scheme=org.scheme, rank=DEMO_CLEARANCE[role])
            created.append(_create(username, f"{org.short_name} {role.label.lower()}, cleared {clearance.name}",
                                   organisation=org, role=role, clearance=clearance))
    state = MemberState.objects.filter(code=DELEGATION_STATE).first()
    if state and not User.objects.filter(username=f"delegation-{state.code.lower()}").exists():
        org = partnership.organisations.order_by("key").first()
        clearance = ClassificationLevel.objects.get(scheme=org.scheme, rank=2)
        created.append(_create(f"delegation-{state.code.lower()}", f"Delegation of {state.name} (reader), cleared rank 2",
                               delegation=state, role=Role.READER, clearance=clearance))
    if created:
        path = passwords_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            for username, password, description in created:
                fh.write(f"{username}\t{password}\t{description}\n")
        path.chmod(0o600)
    return created


def _create(username: str, description: str, **fields) -> tuple[str, str, str]:
    password = secrets.token_urlsafe(12)
    user = User(username=username, first_name=description.split(",")[0], **fields)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    # Who has which account is internal to the user's own organisation(s).
    orgs = [user.organisation] if user.organisation_id else user.delegation.organisations_on(timezone.localdate())
    record(actor=None, verb=Verb.USER_CREATED, obj=user, after={"username": username, "role": user.role},
           classification=ClassificationLevel.objects.get(scheme=user.clearance.scheme, rank=1),
           releasable_to=orgs, system_actor="demo setup")
    return username, password, description
