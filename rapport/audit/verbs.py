"""Audit verbs, grouped by capability. Strings, so exports stay readable."""

from django.db import models


class Verb(models.TextChoices):
    # Reference data and content loading
    RECORD_CREATED = "record.created", "Record created"
    RECORD_UPDATED = "record.updated", "Record updated"
    RECORD_DELETED = "record.deleted", "Record deleted"
    SEED_LOADED = "seed.loaded", "Default data loaded"
    # Contributions
    CONTRIBUTION_CREATED = "contribution.created", "Contribution created"
    CONTRIBUTION_EDITED = "contribution.edited", "Contribution edited"
    CONTRIBUTION_SUBMITTED = "contribution.submitted", "Contribution submitted"
    CONTRIBUTION_APPROVED = "contribution.approved", "Contribution approved"
    CONTRIBUTION_RETURNED = "contribution.returned", "Contribution returned"
    # Joint texts
    JOINT_TEXT_CREATED = "joint_text.created", "Joint text created"
    JOINT_TEXT_EDITED = "joint_text.edited", "Joint text edited"
    JOINT_TEXT_APPROVED = "joint_text.approved", "Joint text approved by an organisation"
    JOINT_TEXT_RETURNED = "joint_text.returned", "Joint text returned"
    # Periods
    PERIOD_CLOSED = "period.closed", "Reporting period closed"  # by the publication of its report
    PERIOD_AGREED = "period.agreed", "Organisation agreed to a step of the period"
    PERIOD_MOVED = "period.moved", "Reporting period moved to its next stage"
    PERIOD_PLANNED = "period.planned", "Reporting period planned"
    PERIOD_DEADLINES_SET = "period.deadlines_set", "Deadlines of the period changed"
    EXTENSION_GRANTED = "period.extension_granted", "Extension granted on a commitment"
    COMMITMENT_ASSIGNED = "commitment.assigned", "Lead unit and responsible staff set"
    COMMENT_ADDED = "comment.added", "Comment added"
    NOTIFICATION_SENT = "notification.sent", "Notification sent"
    NOTIFICATIONS_READ = "notification.read", "Notifications marked read"
    CALENDAR_FEED_MADE = "calendar.feed_made", "Calendar address made"
    CALENDAR_FEED_REVOKED = "calendar.feed_revoked", "Calendar address revoked"
    # Reports
    REPORT_CREATED = "report.created", "Report created"
    REPORT_APPROVED = "report.approved", "Report approved by an organisation"
    REPORT_APPROVAL_WITHDRAWN = "report.approval_withdrawn", "Report approval withdrawn"
    REPORT_PUBLISHED = "report.published", "Report published"
    REPORT_APPROVALS_CLEARED = "report.approvals_cleared", "Report approvals cleared by a change of its content"
    REPORT_SEALED = "report.sealed", "Report edition sealed"
    REPORT_DOWNLOADED = "report.downloaded", "Report edition downloaded"
    # The report's parts (highlights, outlook, Council actions), written in the browser
    REPORT_PART_CREATED = "report_part.created", "Report part added"
    REPORT_PART_EDITED = "report_part.edited", "Report part edited"
    REPORT_PART_MOVED = "report_part.moved", "Report part moved"
    REPORT_PART_DELETED = "report_part.deleted", "Report part deleted"
    REPORT_PART_APPROVED = "report_part.approved", "Report part approved by an organisation"
    REPORT_PART_RETURNED = "report_part.returned", "Report part returned"
    # Users and access
    USER_CREATED = "user.created", "User created"
    USER_CHANGED = "user.changed", "User changed"
    USER_LOGGED_IN = "user.logged_in", "User signed in"
    USER_LOGIN_FAILED = "user.login_failed", "Sign-in failed"
    TOKEN_CREATED = "token.created", "API token made"
    TOKEN_REVOKED = "token.revoked", "API token revoked"
    EXPORT_DOWNLOADED = "export.downloaded", "List exported as a spreadsheet"
    # The log itself
    AUDIT_HEAD_RESTORED = "audit.head_restored", "Audit head row missing or wrong; rebuilt"
