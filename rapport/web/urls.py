from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    audit,
    auth,
    commitments,
    contributions,
    dashboard,
    evidence,
    public,
    reports,
    search,
    styles,
)

urlpatterns = [
    # Public area (no sign-in): published, PUBLIC content only.
    path("", public.public_home, name="public-home"),
    path("public/commitments/<int:pk>/", public.public_commitment, name="public-commitment"),
    path("public/reports/", reports.public_reports, name="public-reports"),
    path("public/reports/<int:ordinal>/", reports.public_report, name="public-report"),
    path("public/reports/<int:ordinal>/download.<str:fmt>", reports.public_download, name="public-report-download"),
    # Signing in and out.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth.signout, name="logout"),
    # The staffs' application.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("commitments/", commitments.commitment_list, name="commitment-list"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment-detail"),
    path("commitments/<int:commitment_pk>/periods/<int:ordinal>/contribution/", contributions.contribution_new, name="contribution-new"),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution-detail"),
    path("contributions/<int:pk>/edit/", contributions.contribution_edit, name="contribution-edit"),
    path("contributions/<int:pk>/<str:action>/", contributions.contribution_action, name="contribution-action"),
    path("meetings/<int:pk>/", evidence.meeting_detail, name="meeting-detail"),
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<int:ordinal>/", reports.report_detail, name="report-detail"),
    path("reports/<int:ordinal>/preview/", reports.report_preview, name="report-preview"),
    path("reports/<int:ordinal>/download/", reports.report_download, name="report-download"),
    path("reports/<int:ordinal>/diff/", reports.report_diff, name="report-diff"),
    path("reports/<int:ordinal>/summary/", reports.report_summary, name="report-summary"),
    path("reports/<int:ordinal>/<str:action>/", reports.report_action, name="report-action"),
    path("search/", search.search_page, name="search"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/<str:object_type>/<str:object_id>/", audit.audit_object, name="audit-object"),
    path("styles/assessments.css", styles.assessment_css, name="assessment-css"),
]
