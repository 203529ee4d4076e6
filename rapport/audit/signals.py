"""Signals of the audit log.

``recorded`` is sent for every entry ``record`` appends, inside the writer's transaction
(sender: AuditEvent; arguments: ``event``, ``obj``, ``actor``). Other apps follow the
workflow from the log — the notifications app announces submissions, returns, approvals
and publication — so a step that is not recorded cannot be announced, and an announcement
is written, or rolled back, with the step itself.
"""

from django.dispatch import Signal

recorded = Signal()
