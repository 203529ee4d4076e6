"""Audit verbs, grouped by capability. Strings, so exports stay readable."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Verb(models.TextChoices):
    # Reference data and content loading
    RECORD_CREATED = "record.created", pgettext_lazy("audit verb", "Record created")
    RECORD_UPDATED = "record.updated", pgettext_lazy("audit verb", "Record updated")
    RECORD_DELETED = "record.deleted", pgettext_lazy("audit verb", "Record deleted")
    SEED_LOADED = "seed.loaded", pgettext_lazy("audit verb", "Default data loaded")
    # Contributions
    CONTRIBUTION_CREATED = "contribution.created", pgettext_lazy("audit verb", "Contribution created")
    CONTRIBUTION_EDITED = "contribution.edited", pgettext_lazy("audit verb", "Contribution edited")
    CONTRIBUTION_SUBMITTED = "contribution.submitted", pgettext_lazy("audit verb", "Contribution submitted")
    CONTRIBUTION_APPROVED = "contribution.approved", pgettext_lazy("audit verb", "Contribution approved")
    CONTRIBUTION_RETURNED = "contribution.returned", pgettext_lazy("audit verb", "Contribution returned")
    # Joint texts
    JOINT_TEXT_CREATED = "joint_text.created", pgettext_lazy("audit verb", "Joint text created")
    JOINT_TEXT_EDITED = "joint_text.edited", pgettext_lazy("audit verb", "Joint text edited")
    JOINT_TEXT_APPROVED = "joint_text.approved", pgettext_lazy("audit verb", "Joint text approved by an organisation")
    JOINT_TEXT_RETURNED = "joint_text.returned", pgettext_lazy("audit verb", "Joint text returned")
    # Periods
    PERIOD_CLOSED = "period.closed", pgettext_lazy("audit verb", "Reporting period closed")  # by its report's publication
    PERIOD_AGREED = "period.agreed", pgettext_lazy("audit verb", "Organisation agreed to a step of the period")
    PERIOD_MOVED = "period.moved", pgettext_lazy("audit verb", "Reporting period moved to its next stage")
    PERIOD_PLANNED = "period.planned", pgettext_lazy("audit verb", "Reporting period planned")
    PERIOD_DEADLINES_SET = "period.deadlines_set", pgettext_lazy("audit verb", "Deadlines of the period changed")
    EXTENSION_GRANTED = "period.extension_granted", pgettext_lazy("audit verb", "Extension granted on a commitment")
    COMMITMENT_ASSIGNED = "commitment.assigned", pgettext_lazy("audit verb", "Lead unit and responsible staff set")
    COMMENT_ADDED = "comment.added", pgettext_lazy("audit verb", "Comment added")
    NOTIFICATION_SENT = "notification.sent", pgettext_lazy("audit verb", "Notification sent")
    NOTIFICATIONS_READ = "notification.read", pgettext_lazy("audit verb", "Notifications marked read")
    CALENDAR_FEED_MADE = "calendar.feed_made", pgettext_lazy("audit verb", "Calendar address made")
    CALENDAR_FEED_REVOKED = "calendar.feed_revoked", pgettext_lazy("audit verb", "Calendar address revoked")
    # Reports
    REPORT_CREATED = "report.created", pgettext_lazy("audit verb", "Report created")
    REPORT_APPROVED = "report.approved", pgettext_lazy("audit verb", "Report approved by an organisation")
    REPORT_APPROVAL_WITHDRAWN = "report.approval_withdrawn", pgettext_lazy("audit verb", "Report approval withdrawn")
    REPORT_PUBLISHED = "report.published", pgettext_lazy("audit verb", "Report published")
    REPORT_APPROVALS_CLEARED = "report.approvals_cleared", pgettext_lazy("audit verb", "Report approvals cleared by a change of its content")
    REPORT_SEALED = "report.sealed", pgettext_lazy("audit verb", "Report edition sealed")
    REPORT_DOWNLOADED = "report.downloaded", pgettext_lazy("audit verb", "Report edition downloaded")
    # The report's parts (highlights, outlook, Council actions), written in the browser
    REPORT_PART_CREATED = "report_part.created", pgettext_lazy("audit verb", "Report part added")
    REPORT_PART_EDITED = "report_part.edited", pgettext_lazy("audit verb", "Report part edited")
    REPORT_PART_MOVED = "report_part.moved", pgettext_lazy("audit verb", "Report part moved")
    REPORT_PART_DELETED = "report_part.deleted", pgettext_lazy("audit verb", "Report part deleted")
    REPORT_PART_APPROVED = "report_part.approved", pgettext_lazy("audit verb", "Report part approved by an organisation")
    REPORT_PART_RETURNED = "report_part.returned", pgettext_lazy("audit verb", "Report part returned")
    # Users and access
    USER_CREATED = "user.created", pgettext_lazy("audit verb", "User created")
    USER_CHANGED = "user.changed", pgettext_lazy("audit verb", "User changed")
    USER_LOGGED_IN = "user.logged_in", pgettext_lazy("audit verb", "User signed in")
    USER_LOGIN_FAILED = "user.login_failed", pgettext_lazy("audit verb", "Sign-in failed")
    USER_SIGN_IN_LOCKED = "user.sign_in_locked", pgettext_lazy("audit verb", "Sign-ins refused for a while after too many failures")
    USER_PASSWORD_CHANGED = "user.password_changed", pgettext_lazy("audit verb", "Password changed")
    USER_PASSWORD_RESET = "user.password_reset", pgettext_lazy("audit verb", "Password replaced by a one-time sign-in link")
    USER_SIGNED_OUT_EVERYWHERE = "user.signed_out_everywhere", pgettext_lazy("audit verb", "Every session of the account ended")
    USER_SESSION_ENDED = "user.session_ended", pgettext_lazy("audit verb", "One session of the account ended by its owner")
    USER_DEACTIVATED = "user.deactivated", pgettext_lazy("audit verb", "Account deactivated")
    USER_REACTIVATED = "user.reactivated", pgettext_lazy("audit verb", "Account reactivated")
    USER_ROLE_CHANGED = "user.role_changed", pgettext_lazy("audit verb", "Role changed")
    USER_CLEARANCE_LOWERED = "user.clearance_lowered", pgettext_lazy("audit verb", "Clearance lowered")
    CLEARANCE_RAISE_REQUESTED = "clearance.raise_requested", pgettext_lazy("audit verb", "Clearance raise asked (awaits a second administrator)")
    CLEARANCE_RAISE_CONFIRMED = "clearance.raise_confirmed", pgettext_lazy("audit verb", "Clearance raise confirmed by a second administrator")
    CLEARANCE_RAISE_CANCELLED = "clearance.raise_cancelled", pgettext_lazy("audit verb", "Clearance raise withdrawn or declined")
    ROLE_CHANGE_REQUESTED = "role.change_requested", pgettext_lazy("audit verb", "Administrator role given or taken: asked (awaits a second)")
    ROLE_CHANGE_CANCELLED = "role.change_cancelled", pgettext_lazy("audit verb", "Administrator role given or taken: withdrawn or declined")
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", pgettext_lazy("audit verb", "Two-factor sign-in set up")
    TWO_FACTOR_FAILED = "two_factor.failed", pgettext_lazy("audit verb", "Two-factor code refused")
    TWO_FACTOR_RESET = "two_factor.reset", pgettext_lazy("audit verb", "Two-factor sign-in reset by an administrator")
    TWO_FACTOR_ENROLMENT_OPENED = "two_factor.enrolment_opened", pgettext_lazy("audit verb", "A day given to set up a first authenticator")
    TWO_FACTOR_REMOVED = "two_factor.removed", pgettext_lazy("audit verb", "Two-factor sign-in turned off by its owner")
    RECOVERY_CODES_MADE = "two_factor.recovery_codes_made", pgettext_lazy("audit verb", "New recovery codes made")
    RECOVERY_CODE_USED = "two_factor.recovery_code_used", pgettext_lazy("audit verb", "Recovery code used to sign in")
    ORGANISATION_SETTINGS_CHANGED = "organisation.settings_changed", pgettext_lazy("audit verb", "Organisation settings changed")
    TOKEN_CREATED = "token.created", pgettext_lazy("audit verb", "API token made")
    TOKEN_REVOKED = "token.revoked", pgettext_lazy("audit verb", "API token revoked")
    EXPORT_DOWNLOADED = "export.downloaded", pgettext_lazy("audit verb", "List exported as a spreadsheet")
    # The log itself
    AUDIT_HEAD_RESTORED = "audit.head_restored", pgettext_lazy("audit verb", "Audit head row missing or wrong; rebuilt")
    # One instance per organisation (rapport/federation): packages, copies and signed statements
    PEER_ADDED = "federation.peer_added", pgettext_lazy("audit verb", "Peer instance pinned")
    IDENTITY_SET = "federation.identity_set", pgettext_lazy("audit verb", "Instance's organisation set")
    PACKAGE_SENT = "federation.package_sent", pgettext_lazy("audit verb", "Exchange package sent")
    PACKAGE_RECEIVED = "federation.package_received", pgettext_lazy("audit verb", "Exchange package received")
    COPY_RECEIVED = "federation.copy_received", pgettext_lazy("audit verb", "Copy received from a peer")
    COPY_WITHDRAWN = "federation.copy_withdrawn", pgettext_lazy("audit verb", "Copy withdrawn by its peer")
    JOINT_TEXT_RECEIVED = "federation.joint_text_received", pgettext_lazy("audit verb", "Joint text version received")
    JOINT_TEXT_APPROVAL_RECEIVED = "federation.joint_text_approved", pgettext_lazy(
        "audit verb", "Joint text approved by a peer (signed)")
    JOINT_TEXT_APPROVAL_WITHDRAWN = "federation.joint_text_approval_withdrawn", pgettext_lazy(
        "audit verb", "Peer's approval of a joint text withdrawn")
    JOINT_TEXT_MARKING_TAKEN = "federation.joint_text_marking_taken", pgettext_lazy(
        "audit verb", "Joint text took the marking of a peer's version")
    CONFLICT_OPENED = "federation.conflict_opened", pgettext_lazy("audit verb", "Exchange conflict opened")
    CONFLICT_RESOLVED = "federation.conflict_resolved", pgettext_lazy("audit verb", "Exchange conflict resolved")
    PERIOD_AGREEMENT_RECEIVED = "federation.period_agreement_received", pgettext_lazy(
        "audit verb", "Peer agreed to a step of the period (signed)")
    REPORT_APPROVAL_RECEIVED = "federation.report_approval_received", pgettext_lazy(
        "audit verb", "Report approved by a peer (signed)")
    REPORT_APPROVAL_WITHDRAWN_BY_PEER = "federation.report_approval_withdrawn", pgettext_lazy(
        "audit verb", "Peer's approval of the report withdrawn")
    REPORT_APPROVAL_NOT_COUNTED = "federation.report_approval_not_counted", pgettext_lazy(
        "audit verb", "Peer's approval of other content not counted")
    REPORT_PART_RECEIVED = "federation.report_part_received", pgettext_lazy(
        "audit verb", "Report part received from a peer")
    REPORT_PART_APPROVAL_RECEIVED = "federation.report_part_approved", pgettext_lazy(
        "audit verb", "Report part approved by a peer (signed)")
    REPORT_PART_APPROVAL_WITHDRAWN = "federation.report_part_approval_withdrawn", pgettext_lazy(
        "audit verb", "Peer's approval of a report part withdrawn")
    REPORT_PART_REMOVED = "federation.report_part_removed", pgettext_lazy(
        "audit verb", "Report part deleted on a peer's instance")
    REPORT_PART_CONFLICT_OPENED = "federation.report_part_conflict_opened", pgettext_lazy(
        "audit verb", "Report part conflict opened")
    REPORT_PART_CONFLICT_RESOLVED = "federation.report_part_conflict_resolved", pgettext_lazy(
        "audit verb", "Report part conflict resolved")
    REGISTER_DIFFERS = "federation.register_differs", pgettext_lazy(
        "audit verb", "Peer's register of commitments differs")
    REGISTER_AGREES = "federation.register_agrees", pgettext_lazy(
        "audit verb", "Peer's register of commitments is the same")
