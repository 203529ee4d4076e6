"""What the contributions app tells the apps above it, without knowing them."""

from django.dispatch import Signal

# Sent inside the service's transaction when the approved content of a period changes — a
# contribution or a joint text is approved, or an approved joint text is reopened — with
# ``actor``, ``period`` and ``obj``. The reports app clears a report's approvals on it: an
# approval is for the content the approvers saw.
approved_content_changed = Signal()
