"""Every read path is registered here with how it is covered, so a new URL or a
new management command without an entry fails the suite.

URL patterns come from the resolver (django.urls.get_resolver), walked
recursively. A pattern with an object kwarg is fetched for a restricted object
(NATO CONFIDENTIAL, releasable to NATO only) as a user who may not see it (EU,
cleared CONFIDENTIAL: must get 404, and the title must not be in the body) and as
one who may (NATO, cleared CONFIDENTIAL: 200). Pages without an object kwarg must
never show the restricted titles to the denied user.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

DENIED, ALLOWED = "eu-reader-3", "nato-reader-3"


def _restricted(world, label, **variant):
    """The world's NATO CONFIDENTIAL object, releasable to NATO only."""
    for s in world["objects"][label]:
        if (s.scheme, s.rank, s.releasable) == ("nato", 3, frozenset({"nato"})) and all(
                s.variant.get(k) == v for k, v in variant.items()):
            return s
    raise LookupError(label, variant)


def _restricted_by_id(label):
    """The restricted object of one model, addressed by its id (the API's object routes)."""
    def restricted(wd):
        return _restricted(wd, label), lambda s: {"id": s.obj.pk}
    return restricted


def _public(world, label, **variant):
    for s in world["objects"][label]:
        if s.rank == 0 and all(s.variant.get(k) == v for k, v in variant.items()):
            return s
    raise LookupError(label, variant)


# name -> how it is covered. "object": kwargs built from a restricted object, with the
# users who must get 404 / 200 ("anonymous" reads the public area). "list": the denied
# user's page must not contain any restricted title. "post": POST as the denied user
# must be 404. "none": the page shows no marked content (the reason says why).
def _contribution(world):
    return _restricted(world, "contributions.contribution", org="nato", state="submitted")


def _draft(world):
    """The restricted NATO draft in the open period (the one that may still be edited)."""
    for s in world["objects"]["contributions.contribution"]:
        if ((s.scheme, s.rank, s.releasable) == ("nato", 3, frozenset({"nato"})) and s.variant == {"org": "nato", "state": "draft"}
                and s.obj.period.state == "open"):
            return s
    raise LookupError("no restricted NATO draft in the open period")


def _notice(world):
    """A notification to the allowed user about the restricted NATO contribution (its title names it)."""
    from types import SimpleNamespace

    from rapport.notifications.services import notify

    spec = _contribution(world)
    notice = notify(world["users"][ALLOWED], kind="workflow", subject=spec.obj, title=spec.title,
                    url=f"/contributions/{spec.obj.pk}/", send_mail=False)
    return SimpleNamespace(obj=notice, title=spec.title)


def _report(world):
    return _restricted(world, "reports.report", state="draft", approved_by=())


def _part(world):
    """The restricted draft highlight of the world's draft report (a report everybody may read)."""
    return _restricted(world, "reports.highlight", report="draft", state="draft")


# The administrator's console: a NATO account (and its raise, its token) is missing for the EU.
CONSOLE_DENIED = ("eu-administrator-3", DENIED, "nato-reader-3")


def _nato_account(world):
    from types import SimpleNamespace

    account = world["users"]["nato-reader-1"]
    return SimpleNamespace(obj=account, title=account.username)


def _nato_raise(world):
    from types import SimpleNamespace

    from rapport.console.models import ClearanceRaise
    from rapport.markings.models import ClassificationLevel

    account = world["users"]["nato-reader-1"]
    raise_ = ClearanceRaise.objects.create(account=account, requested_by=world["users"]["nato-administrator-3"],
                                           level=ClassificationLevel.objects.get(scheme__key="nato", rank=2))
    return SimpleNamespace(obj=raise_, title=account.username)


def _someones_session(world):
    """A session the allowed reader signed in with: ending it is nobody else's business."""
    from types import SimpleNamespace

    from django.utils import timezone

    from rapport.access.models import SignedInSession

    row = SignedInSession.objects.create(user=world["users"][ALLOWED], session_key="mx-session-key-0123456789",
                                         started_at=timezone.now(), user_agent="MXBROWSER")
    return SimpleNamespace(obj=row, title="MXBROWSER")


def _nato_token(world):
    from types import SimpleNamespace

    from rapport.api.tokens import create_token

    token, _ = create_token(user=world["users"]["nato-reader-1"], name="MXTOKEN-nato-reader")
    return SimpleNamespace(obj=token, title=token.name)


READ_PATHS = {
    "public-home": {"kind": "list", "user": "anonymous"},
    "public-reports": {"kind": "list", "user": "anonymous"},
    "public-commitment": {
        "kind": "object", "denied": ("anonymous", DENIED, ALLOWED), "allowed": ("anonymous",),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {"pk": s.obj.pk}),
        "visible": lambda wd: (_public(wd, "commitments.commitment"), lambda s: {"pk": s.obj.pk}),
    },
    "public-report": {
        "kind": "object", "denied": ("anonymous", ALLOWED),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal}),
    },
    "public-report-download": {
        "kind": "object", "denied": ("anonymous", ALLOWED),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal, "fmt": "md"}),
    },
    "login": {"kind": "none", "reason": "the sign-in form"},
    "logout": {"kind": "none", "reason": "asks to confirm signing out"},
    "set-language": {"kind": "none", "reason": "POST sets the language cookie (and the signed-in account's own "
                     "language), then goes back to the page it came from; GET shows the switch alone; no data"},
    "dashboard": {"kind": "list"},
    "commitment-list": {"kind": "list"},
    "commitment-detail": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-no-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {"pk": s.obj.pk}),
    },
    "commitment-assign": {
        "kind": "post", "denied": (DENIED, "eu-coordinator-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {"pk": s.obj.pk}),
    },
    "contribution-new": {
        "kind": "object", "denied": ("eu-drafter-3",), "allowed": ("nato-drafter-3",),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"),
                                  lambda s: {"commitment_pk": s.obj.pk, "ordinal": wd["ctx"].periods[-1].ordinal}),
    },
    "contribution-detail": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"pk": s.obj.pk}),
    },
    "contribution-edit": {
        "kind": "object", "denied": ("eu-drafter-3", "eu-coordinator-3"),
        "allowed": ("nato-drafter-3",),
        "restricted": lambda wd: (_draft(wd), lambda s: {"pk": s.obj.pk}),
    },
    "contribution-compare": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"pk": s.obj.pk}),
    },
    "contribution-comment": {
        "kind": "post", "denied": ("eu-approver-3", "eu-reader-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"pk": s.obj.pk}),
    },
    "joint-text-detail": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"pk": s.obj.pk}),
    },
    "joint-text-comment": {
        "kind": "post", "denied": ("eu-approver-3", "eu-drafter-3"),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"pk": s.obj.pk}),
    },
    "joint-text-edit": {
        "kind": "object", "denied": (DENIED, "eu-drafter-3"), "allowed": (ALLOWED, "nato-drafter-3"),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"pk": s.obj.pk}),
    },
    "joint-text-action": {
        "kind": "post", "denied": ("eu-approver-3",),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"pk": s.obj.pk,
                                                                                        "action": "approve"}),
    },
    "joint-text-conflict": {
        # Resolving an exchange conflict on a joint text the reader may not see: 404 as for a missing one.
        "kind": "post", "denied": ("eu-approver-3",),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"pk": s.obj.pk,
                                                                                        "conflict_pk": 1}),
    },
    "joint-text-new": {
        # On a commitment the reader may not see: 404 as for a missing one.
        "kind": "object", "denied": (DENIED, "eu-drafter-3"), "allowed": (ALLOWED, "nato-drafter-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"),
                                  lambda s: {"commitment_pk": s.obj.pk,
                                             "ordinal": wd["ctx"].parent_reports["draft"].period.ordinal}),
    },
    "contribution-action": {
        "kind": "post", "denied": ("eu-approver-3",),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"pk": s.obj.pk, "action": "approve"}),
    },
    "meeting-detail": {
        "kind": "object", "denied": (DENIED,), "allowed": (ALLOWED,),
        "restricted": lambda wd: (_restricted(wd, "evidence.meeting"), lambda s: {"pk": s.obj.pk}),
    },
    "report-list": {"kind": "list"},
    "period-list": {"kind": "list"},
    # Periods are reference data (dates, stages, who agreed); the page also lists the reader's own
    # organisation's extensions, which tests/periods/test_pages.py keeps from the other organisation.
    "period-detail": {"kind": "none", "reason": "reference data, and the reader's own organisation's extensions: "
                                                "tests/periods/test_pages.py"},
    "calendar": {"kind": "none", "reason": "the reader's own calendar address, made or revoked"},
    "calendar-feed": {"kind": "none", "reason": "no session: the secret address opens its owner's deadlines, as "
                                                "tests/periods/test_calendar.py checks by organisation and clearance"},
    "period-action": {"kind": "none", "reason": "POST only: coordinators' steps on reference data; refusals are "
                                                "messages: tests/periods/test_pages.py"},
    **{name: {
        "kind": "object", "denied": (DENIED,), "allowed": (ALLOWED,),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal}),
    } for name in ("report-detail", "report-preview", "report-diff", "report-summary")},
    "report-download": {
        "kind": "object", "denied": (DENIED,),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal}),
    },
    "report-action": {
        "kind": "post", "denied": ("eu-approver-3",),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal, "action": "approve"}),
    },
    # The report editor: the report's page of parts, checklist and suggestions, and its parts' own pages.
    "report-editor": {
        "kind": "object", "denied": (DENIED,), "allowed": (ALLOWED, "nato-coordinator-3"),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal}),
    },
    "report-part-new": {
        "kind": "post", "denied": ("eu-coordinator-3",),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal, "kind": "highlight"}),
    },
    "report-part-edit": {
        "kind": "object", "denied": (DENIED, "eu-coordinator-3"), "allowed": (ALLOWED, "nato-coordinator-3"),
        "restricted": lambda wd: (_part(wd), lambda s: {"ordinal": s.obj.report.period.ordinal, "kind": "highlight",
                                                        "pk": s.obj.pk}),
    },
    "report-part-action": {
        "kind": "post", "denied": ("eu-approver-3", "eu-coordinator-3"),
        "restricted": lambda wd: (_part(wd), lambda s: {"ordinal": s.obj.report.period.ordinal, "kind": "highlight",
                                                        "pk": s.obj.pk, "action": "approve"}),
    },
    "report-part-conflict": {
        # Resolving an exchange conflict on a part the reader may not see: 404 as for a missing one.
        "kind": "post", "denied": ("eu-approver-3", "eu-coordinator-3"),
        "restricted": lambda wd: (_part(wd), lambda s: {"ordinal": s.obj.report.period.ordinal, "kind": "highlight",
                                                        "pk": s.obj.pk, "conflict_pk": 1}),
    },
    "report-part-comment": {
        "kind": "post", "denied": ("eu-approver-3", "eu-coordinator-3"),
        "restricted": lambda wd: (_part(wd), lambda s: {"ordinal": s.obj.report.period.ordinal, "kind": "highlight",
                                                        "pk": s.obj.pk}),
    },
    "report-suggestion-adopt": {
        # A hidden contribution answers as a missing one (and a hidden report too).
        "kind": "post", "denied": ("eu-coordinator-3",),
        "restricted": lambda wd: (_report(wd), lambda s: {"ordinal": s.obj.period.ordinal,
                                                          "pk": _contribution(wd).obj.pk}),
    },
    "search": {"kind": "list", "query": {"q": "MXTITLE"}},
    "audit-log": {"kind": "list"},
    "audit-object": {
        # The history of an object the reader may not see answers as for one that does not exist.
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_restricted(wd, "audit.auditevent", subject="nato-confidential-commitment"),
                                  lambda s: {"object_type": "commitments.commitment",
                                             "object_pk": wd["ctx"].audit_subjects["nato-confidential-commitment"].pk}),
    },
    # The Partners page: in this world (a shared server) the explanation that there are no peers, for
    # the staff who run the cycle; an organisation's instance, its peers and what waits to go to
    # them (listed through visible_to): tests/web/test_partners.py.
    "partners": {"kind": "list", "user": "eu-coordinator-3"},
    "partner-detail": {"kind": "none", "reason": "a peer of an organisation's instance (none on a shared server): "
                       "its key, accreditation and packages (no content), and the records waiting to go to it "
                       "that the reader may read (visible_to); 404 for anyone the policy does not let see it: "
                       "tests/web/test_partners.py"},
    "assessment-css": {"kind": "none", "reason": "colours of the assessment scale (public reference data)"},
    "health": {"kind": "none", "reason": "answers 'ok'; reads no data"},
    # The inbox lists only the reader's own notices whose object they may read now; its own tests
    # (tests/notifications/test_inbox.py) put notices about hidden objects in the denied user's inbox.
    "inbox": {"kind": "list"},
    "inbox-read": {
        "kind": "post", "denied": (DENIED, "nato-reader-0"),
        "restricted": lambda wd: (_notice(wd), lambda s: {"pk": s.obj.pk}),
    },
    "inbox-read-all": {"kind": "none", "reason": "POST only: marks the reader's own visible notices read; shows nothing"},
    # Signing in and one's own account (tests/access/test_two_factor.py, test_sessions.py, test_passwords.py).
    "sign-in-code": {"kind": "none", "reason": "the second sign-in step: a code field for the pending account"},
    "sign-in-enrol": {"kind": "none", "reason": "the pending account's own new authenticator key and QR code"},
    "account-welcome": {"kind": "none", "reason": "a one-time link sets its own account's password; no content"},
    "account-security": {"kind": "none", "reason": "the reader's own two-factor state and sessions; no content"},
    "account-two-factor": {"kind": "none", "reason": "the reader's own new authenticator key and QR code"},
    "account-two-factor-off": {"kind": "none", "reason": "POST only: turns off the reader's own second factor"},
    "account-recovery-codes": {"kind": "none", "reason": "POST only: the reader's own new recovery codes"},
    "account-sign-out-everywhere": {"kind": "none", "reason": "POST only: ends the reader's own sessions"},
    "account-session-end": {
        "kind": "post", "denied": (DENIED, "nato-administrator-3", "nato-reader-2"),
        "restricted": lambda wd: (_someones_session(wd), lambda s: {"pk": s.obj.pk}),
    },
    "account-password": {"kind": "none", "reason": "the reader's own password form"},
    "session-status": {"kind": "none", "reason": "seconds left in the reader's own session"},
    "session-extend": {"kind": "none", "reason": "POST only: keeps the reader's own session going"},
    # The administrator's console (every action: tests/access/test_console.py): the administrator's
    # own organisation's accounts; 404 for anyone else, as for a missing account.
    "console-home": {"kind": "none", "reason": "the administrator's own organisation's accounts, no marked "
                                               "content; 404 for anyone else: tests/access/test_console.py"},
    "console-account-new": {"kind": "none", "reason": "a form for an account of the administrator's own "
                                                      "organisation; 404 for anyone else: tests/access/test_console.py"},
    "console-settings": {"kind": "none", "reason": "the administrator's own organisation's settings; 404 for "
                                                   "anyone else: tests/access/test_console.py"},
    "console-account": {
        "kind": "object", "denied": CONSOLE_DENIED, "allowed": ("nato-administrator-3",),
        "restricted": lambda wd: (_nato_account(wd), lambda s: {"pk": s.obj.pk}),
    },
    "console-account-action": {
        "kind": "post", "denied": CONSOLE_DENIED,
        "restricted": lambda wd: (_nato_account(wd), lambda s: {"pk": s.obj.pk, "action": "deactivate"}),
    },
    "console-raise-action": {
        "kind": "post", "denied": CONSOLE_DENIED,
        "restricted": lambda wd: (_nato_raise(wd), lambda s: {"pk": s.obj.pk, "action": "confirm"}),
    },
    "console-token-revoke": {
        "kind": "post", "denied": CONSOLE_DENIED,
        "restricted": lambda wd: (_nato_token(wd), lambda s: {"pk": s.obj.pk}),
    },
    # The REST API (rapport/api): the same visibility as the pages; its own tests are tests/api.
    "api:api-root": {"kind": "none", "reason": "the API's root: no data"},
    "api:openapi-json": {"kind": "none", "reason": "the OpenAPI schema: the API's shape, no data"},
    "api:openapi-view": {"kind": "none", "reason": "the interactive documentation page: the schema's shape, no data"},
    "account-tokens": {"kind": "none", "reason": "the reader's own access tokens (names, prefixes, dates): "
                       "tests/api/test_tokens_page.py"},
    "account-token-revoke": {
        "kind": "post", "denied": (DENIED, "nato-reader-3", "nato-administrator-1"),
        "restricted": lambda wd: (_nato_token(wd), lambda s: {"prefix": s.obj.prefix}),
    },
    "api:me": {"kind": "none", "reason": "the caller's own account"},
    "api:periods": {"kind": "none", "reason": "reporting periods: public reference data"},
    "commitment-export": {"kind": "list", "kwargs": {"fmt": "csv"}},
    "contributions-export": {"kind": "list", "kwargs": {"fmt": "csv"}},
    # One kind of evidence at a time; every kind as the denied and the allowed reader: tests/web/test_exports.py.
    "evidence-list": {"kind": "list", "query": {"kind": "meetings"}},
    "evidence-export": {"kind": "list", "kwargs": {"fmt": "csv"}, "query": {"kind": "activities"}},
    "audit-export": {"kind": "list", "kwargs": {"fmt": "csv"}},
    # Importing contributions from a spreadsheet: tests/web/test_imports.py.
    "contributions-import": {"kind": "none", "reason": "the upload form of a period (reference data); names no record"},
    "contributions-import-template": {"kind": "none", "reason": "an XLSX of the commitments the reader may write on "
                                      "(visible_to and can()) and their own organisation's readable texts: "
                                      "tests/web/test_imports.py::test_the_template_holds_only_what_the_importer_may_write_on"},
    "contributions-import-preview": {"kind": "none", "reason": "the reader's own upload, known only to the session "
                                     "that made it (404 otherwise): tests/web/test_imports.py::"
                                     "test_an_upload_is_only_its_own_sessions"},
    "api:commitments": {"kind": "list", "pages": True, "query": {"limit": 200}},
    "api:contributions": {"kind": "list", "pages": True, "query": {"limit": 200}},
    "api:commitment": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {"id": s.obj.pk}),
    },
    "api:contribution": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"id": s.obj.pk}),
    },
    # The API's other records: every page of each list, and each one object, as the pages.
    **{f"api:{path}": {"kind": "list", "pages": True, "query": {"limit": 200}}
       for path in ("areas", "mandates", "meetings", "exercises", "formats", "partner-activities", "joint-texts",
                    "reports", "highlights", "outlook", "report-texts", "council-actions")},
    **{f"api:{path}-one": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": _restricted_by_id(label),
    } for path, label in (("areas", "partnerships.area"), ("mandates", "partnerships.mandate"),
                          ("meetings", "evidence.meeting"), ("exercises", "evidence.exercise"),
                          ("formats", "evidence.coordinationformat"),
                          ("partner-activities", "evidence.partneractivity"),
                          ("joint-texts", "contributions.jointtext"), ("reports", "reports.report"),
                          ("highlights", "reports.highlight"), ("outlook", "reports.outlook"),
                          ("report-texts", "reports.reporttext"), ("council-actions", "reports.councilaction"))},
    # A record's STANAG 4774 labels, read as its own route reads it: tests/api/test_labels.py.
    "api:label": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"),
                                  lambda s: {"kind": "commitments", "id": s.obj.pk}),
    },
    # API writes: as a user who may not see the object, a well-formed write answers 404 and changes nothing.
    "api:contribution-create": {
        "kind": "api-write", "method": "post", "denied": (DENIED, "eu-drafter-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {}),
        "body": lambda s: {"commitment": s.obj.pk, "period": s.obj.partnership.periods.order_by("-ordinal")[0].ordinal,
                           "narrative": "x", "classification": "PUBLIC"},
    },
    "api:contribution-edit": {
        "kind": "api-write", "method": "patch", "denied": (DENIED, "eu-drafter-3"),
        "restricted": lambda wd: (_draft(wd), lambda s: {"id": s.obj.pk}),
        "body": lambda s: {"narrative": "x", "classification": "PUBLIC"},
    },
    **{f"api:contribution-{step}": {
        "kind": "api-write", "method": "post", "denied": (DENIED, "eu-approver-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"id": s.obj.pk}),
        "body": lambda s: {"message": "x"},
    } for step in ("submit", "approve", "return")},
    # A report's editions (those the caller may download) and a file of one; a contribution's revisions.
    "api:report-editions": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": _restricted_by_id("reports.report"),
    },
    "api:report-download": {
        "kind": "none", "reason": "an edition the policy gives the caller (READ_EDITION), as the report pages' "
                                  "downloads: tests/api/test_api_editions.py",
    },
    "api:contribution-revisions": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"id": s.obj.pk}),
    },
    # Reference data (unmarked, the same for every caller), the audit log and search as their pages.
    "api:partnerships": {"kind": "none", "reason": "partnerships and their organisations' keys: reference data"},
    "api:organisations": {"kind": "none", "reason": "organisations: reference data"},
    "api:memberships": {"kind": "none", "reason": "member states' memberships of the organisations: public facts"},
    "api:audit": {"kind": "list", "pages": True, "query": {"limit": 200}},
    "api:search": {"kind": "list", "query": {"q": "MXTITLE"}},
    "api:joint-text-create": {
        "kind": "api-write", "method": "post", "denied": (DENIED, "eu-coordinator-3"),
        "restricted": lambda wd: (_restricted(wd, "commitments.commitment"), lambda s: {}),
        "body": lambda s: {"commitment": s.obj.pk, "period": s.obj.partnership.periods.order_by("-ordinal")[0].ordinal,
                           "text": "x", "classification": "PUBLIC"},
    },
    "api:joint-text-edit": {
        "kind": "api-write", "method": "patch", "denied": (DENIED, "eu-coordinator-3"),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"id": s.obj.pk}),
        "body": lambda s: {"text": "x"},
    },
    **{f"api:joint-text-{step}": {
        "kind": "api-write", "method": "post", "denied": (DENIED, "eu-approver-3"),
        "restricted": lambda wd: (_restricted(wd, "contributions.jointtext"), lambda s: {"id": s.obj.pk}),
        "body": lambda s: {"message": "x"},
    } for step in ("approve", "return")},
    # Comment threads: the subject's visibility first (404 as missing), then each comment's own.
    "api:contributions-comments": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": lambda wd: (_contribution(wd), lambda s: {"id": s.obj.pk}),
    },
    "api:joint-texts-comments": {
        "kind": "object", "denied": (DENIED, "del-at-3"), "allowed": (ALLOWED, "del-fi-3"),
        "restricted": _restricted_by_id("contributions.jointtext"),
    },
    **{f"api:{path}-comment-create": {
        "kind": "api-write", "method": "post", "denied": (DENIED, "eu-drafter-3"),
        "restricted": restricted, "body": lambda s: {"text": "x", "classification": "PUBLIC"},
    } for path, restricted in (("contributions", lambda wd: (_contribution(wd), lambda s: {"id": s.obj.pk})),
                               ("joint-texts", _restricted_by_id("contributions.jointtext")))},
}

# Management commands of Rapport's apps, and how what they print is covered.
COMMANDS = {
    "commitments": "prints signed-out-visible commitments only: test_commands_print_no_restricted_content",
    "periods": "prints report states of signed-out-visible reports only: test_commands_print_no_restricted_content",
    "audit": "'audit log' prints PUBLIC entries only: test_commands_print_no_restricted_content; 'verify' in test_audit",
    "members": "public reference data (memberships); no marked content",
    "report": "reads as the public unless --user names an account the policy allows: tests/access/test_downloads.py",
    "summary": "the public summary of a published report; covered by tests/reports",
    "check": "prints check results and counts, no content",
    "init": "prints load summaries and new demo passwords, no content",
    "load": "prints load summaries, no content",
    "demo": "prints counts of what it added, no content",
    "serve": "starts the server",
    "searchindex": "rebuilds the index, prints a status line",
    "schemes": "classification schemes (public reference data): levels, policy identifiers, organisation names; "
               "no partnership content: tests/markings/test_spif.py",
    "account": "operator command: account names, affiliations, roles, clearances, the end of a two-factor set-up "
               "window; no partnership content",
    "import": "writes the account's own organisation's contributions through the services; prints row numbers, "
              "references of commitments the account may read, field names and messages: tests/web/test_imports.py",
    "export": "writes a list as one account may read it (the page's own filter and visibility): "
              "tests/web/test_exports.py; the list's route is in READ_PATHS",
    "token": "operator command: token prefixes, scopes and dates, and a new token's secret once; no partnership "
             "content: tests/api/test_api.py::test_the_token_command",
    "peer": "operator command: this instance's public key, peers' organisations, key fingerprints, accreditation "
            "levels and package numbers; no partnership content",
    "exchange": "writes only what the peer may receive, read through visible_to as the peer's organisation at the "
                "link's accreditation; prints counts and hashes: tests/federation/test_exchange.py",
    "remind": "prints kinds, account names, period ordinals and deadlines (reference data), never a notice's title: "
              "tests/notifications/test_remind.py::test_output_names_no_title",
}


def _patterns(resolver=None, prefix="", namespace=""):
    """(pattern, route, name as reverse() takes it: "api:commitment" inside a namespace)."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield p, prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def _client(world, key):
    client = Client()
    if key != "anonymous":
        client.force_login(world["users"][key])
    return client


def _all_restricted_titles(world):
    return [s.title for objs in world["objects"].values() for s in objs
            if (s.scheme, s.rank, s.releasable) == ("nato", 3, frozenset({"nato"}))]


def test_every_url_pattern_is_registered():
    names = {}
    for _p, route, name in _patterns():
        names[name or route] = route
    unknown = {n: r for n, r in names.items() if n not in READ_PATHS}
    assert not unknown, (
        "URL patterns without an entry in tests/access/test_read_paths.py READ_PATHS "
        f"(add one saying how their visibility is tested): {unknown}"
    )
    gone = sorted(set(READ_PATHS) - set(names))
    assert not gone, f"READ_PATHS lists URL names that no longer exist: {gone}"


def test_every_management_command_is_registered():
    ours = {name for name, app in get_commands().items() if app.startswith("rapport")}
    unknown = sorted(ours - set(COMMANDS))
    assert not unknown, f"Management commands without an entry in COMMANDS (say how their output is covered): {unknown}"


@pytest.mark.parametrize("name", sorted(n for n, e in READ_PATHS.items() if e["kind"] == "object"))
def test_object_page_denied_is_404_and_allowed_is_200(world, name):
    entry = READ_PATHS[name]
    spec, kwargs = entry["restricted"](world)
    url = reverse(name, kwargs=kwargs(spec))
    for key in entry["denied"]:
        response = _client(world, key).get(url)
        assert response.status_code == entry.get("denied_status", 404), f"{name} as {key}: {response.status_code}"
        assert spec.title.encode() not in response.content, f"{name} as {key} shows the restricted title"
    for key in entry.get("allowed", ()):
        target, kw = entry["visible"](world) if "visible" in entry else (spec, kwargs)
        response = _client(world, key).get(reverse(name, kwargs=kw(target)))
        assert response.status_code == 200, f"{name} as {key}: {response.status_code}"
    # The 404 for a denied object is the 404 for a missing one.
    if entry.get("denied_status", 404) == 404:
        missing = {k: (v + 900_000 if isinstance(v, int) else v) for k, v in kwargs(spec).items()}
        key = entry["denied"][0]
        denied_body = _client(world, key).get(url).content
        missing_body = _client(world, key).get(reverse(name, kwargs=missing)).content
        assert denied_body == missing_body, f"{name}: the 404 for a denied object differs from a missing one"


@pytest.mark.parametrize("name", sorted(n for n, e in READ_PATHS.items() if e["kind"] == "post"))
def test_actions_on_a_denied_object_are_404(world, name):
    entry = READ_PATHS[name]
    spec, kwargs = entry["restricted"](world)
    state = getattr(spec.obj, "state", None)
    for key in entry["denied"]:
        response = _client(world, key).post(reverse(name, kwargs=kwargs(spec)), {"message": "x"})
        assert response.status_code == 404, f"{name} as {key}: {response.status_code}"
        assert spec.title.encode() not in response.content
    spec.obj.refresh_from_db()
    assert getattr(spec.obj, "state", None) == state


@pytest.mark.parametrize("name", sorted(n for n, e in READ_PATHS.items() if e["kind"] == "api-write"))
def test_api_writes_on_a_denied_object_are_404(world, name):
    from rapport.audit.models import AuditEvent

    entry = READ_PATHS[name]
    spec, kwargs = entry["restricted"](world)
    changes = AuditEvent.objects.exclude(verb="user.logged_in")  # signing the users in is not a change
    before = changes.count(), getattr(spec.obj, "state", None)
    for key in entry["denied"]:
        response = getattr(_client(world, key), entry["method"])(
            reverse(name, kwargs=kwargs(spec)), entry["body"](spec), content_type="application/json",
            HTTP_IF_MATCH="*")
        assert response.status_code == 404, f"{name} as {key}: {response.status_code} {response.content[:200]}"
        assert spec.title.encode() not in response.content
    spec.obj.refresh_from_db()
    assert (changes.count(), getattr(spec.obj, "state", None)) == before


@pytest.mark.parametrize("name", sorted(n for n, e in READ_PATHS.items() if e["kind"] == "list"))
def test_list_pages_never_show_restricted_titles(world, name):
    entry = READ_PATHS[name]
    key = entry.get("user", DENIED)
    body = _read_list(_client(world, key), name, entry)
    shown = [t for t in _all_restricted_titles(world) if t in body]
    assert not shown, f"{name} as {key} shows restricted content: {shown[:5]}"
    if entry.get("pages"):  # an API list: the allowed reader gets the rows the denied one does not
        allowed = _read_list(_client(world, ALLOWED), name, entry)
        assert any(t in allowed for t in _all_restricted_titles(world)), f"{name}: {ALLOWED} sees nothing restricted"


def _read_list(client, name, entry) -> str:
    """The list's body; for an API list, every page of it (following the cursor)."""
    query = dict(entry.get("query", {}))
    bodies = []
    while True:
        response = client.get(reverse(name, kwargs=entry.get("kwargs")), query)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        bodies.append(response.content.decode())
        cursor = response.json().get("next") if entry.get("pages") else None
        if not cursor:
            return "\n".join(bodies)
        query["cursor"] = cursor


def test_commands_print_no_restricted_content(world, capsys):
    call_command("commitments")
    call_command("commitments", "--json")
    call_command("periods")
    call_command("audit", "log", "--limit", "100000")
    out = capsys.readouterr().out
    restricted = [s.title for objs in world["objects"].values() for s in objs if s.rank > 0]
    assert not [t for t in restricted if t in out]
    # They print the public content, so the check above can fail.
    assert _public(world, "commitments.commitment").title in out
