"""The policy rule for assigning work on commitments, registered with rapport.access.

Each organisation's coordinator names its own lead unit and responsible staff on a
commitment they may see; one organisation never assigns the other's staff.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.access.policy import allow, deny, in_partnership, rule
from rapport.access.roles import Role

from .models import Commitment


class CommitmentAction(StrEnum):
    ASSIGN = "commitment.assign"


@rule(Commitment, CommitmentAction.ASSIGN)
def assign(user, commitment):
    if user.role != Role.COORDINATOR or not in_partnership(user, commitment.partnership):
        return deny(_("only the coordinators of the partnership's organisations assign work on commitments"))
    return allow("a coordinator assigns their own organisation's staff")
