from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from .converters import IdConverter
from .views import (
    audit,
    auth,
    commitments,
    contributions,
    dashboard,
    discussions,
    evidence,
    health,
    joint_texts,
    public,
    report_editor,
    reports,
    revisions,
    search,
    styles,
)

register_converter(IdConverter, "id")

urlpatterns = [
    # Public area (no sign-in): published, PUBLIC content only.
    path("", public.public_home, name="public-home"),
    path("public/commitments/<id:pk>/", public.public_commitment, name="public-commitment"),
    path("public/reports/", reports.public_reports, name="public-reports"),
    path("public/reports/<id:ordinal>/", reports.public_report, name="public-report"),
    path("public/reports/<id:ordinal>/download.<str:fmt>", reports.public_download, name="public-report-download"),
    # Signing in and out.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth.signout, name="logout"),
    # The staffs' application.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("commitments/", commitments.commitment_list, name="commitment-list"),
    path("commitments/<id:pk>/", commitments.commitment_detail, name="commitment-detail"),
    path("commitments/<id:commitment_pk>/periods/<id:ordinal>/contribution/", contributions.contribution_new, name="contribution-new"),
    path("contributions/<id:pk>/", contributions.contribution_detail, name="contribution-detail"),
    path("contributions/<id:pk>/edit/", contributions.contribution_edit, name="contribution-edit"),
    path("contributions/<id:pk>/compare/", revisions.contribution_compare, name="contribution-compare"),
    path("contributions/<id:pk>/comments/", discussions.comment_add, {"kind": "contribution"},
         name="contribution-comment"),
    path("contributions/<id:pk>/<str:action>/", contributions.contribution_action, name="contribution-action"),
    path("joint-texts/<id:pk>/", discussions.joint_text_detail, name="joint-text-detail"),
    path("joint-texts/<id:pk>/comments/", discussions.comment_add, {"kind": "joint-text"}, name="joint-text-comment"),
    path("joint-texts/<id:pk>/edit/", joint_texts.joint_text_edit, name="joint-text-edit"),
    path("joint-texts/<id:pk>/<str:action>/", joint_texts.joint_text_action, name="joint-text-action"),
    path("commitments/<id:commitment_pk>/periods/<id:ordinal>/joint-text/", joint_texts.joint_text_new,
         name="joint-text-new"),
    path("meetings/<id:pk>/", evidence.meeting_detail, name="meeting-detail"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<id:ordinal>/", reports.report_detail, name="report-detail"),
    path("reports/<id:ordinal>/preview/", reports.report_preview, name="report-preview"),
    path("reports/<id:ordinal>/download/", reports.report_download, name="report-download"),
    path("reports/<id:ordinal>/diff/", reports.report_diff, name="report-diff"),
    path("reports/<id:ordinal>/summary/", reports.report_summary, name="report-summary"),
    path("reports/<id:ordinal>/edit/", report_editor.report_editor, name="report-editor"),
    path("reports/<id:ordinal>/parts/<str:kind>/new/", report_editor.part_new, name="report-part-new"),
    path("reports/<id:ordinal>/parts/<str:kind>/<id:pk>/edit/", report_editor.part_edit, name="report-part-edit"),
    path("reports/<id:ordinal>/parts/<str:kind>/<id:pk>/<str:action>/", report_editor.part_action,
         name="report-part-action"),
    path("reports/<id:ordinal>/suggestions/<id:pk>/adopt/", report_editor.suggestion_adopt,
         name="report-suggestion-adopt"),
    path("reports/<id:ordinal>/<str:action>/", reports.report_action, name="report-action"),
    path("search/", search.search_page, name="search"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/<str:object_type>/<id:object_pk>/", audit.audit_object, name="audit-object"),
    path("styles/assessments.css", styles.assessment_css, name="assessment-css"),
    path("health/", health.health, name="health"),
    path("inbox/", include("rapport.web.inbox_urls")),
]
