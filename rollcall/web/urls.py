"""Every page of the platform. tests/test_web_scope.py walks this list: a pattern without a
test of who may and may not see it fails the suite."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rollcall.web.api.views import api
from rollcall.web.families import views as families
from rollcall.web.front import views
from rollcall.web.front.auth import ThrottledLoginForm
from rollcall.web.improve import library_views as library
from rollcall.web.improve import views as improve
from rollcall.web.intake import views as intake
from rollcall.web.outreach import views as outreach
from rollcall.web.partners import views as partners
from rollcall.web.plans import views as plans

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            form_class=ThrottledLoginForm, template_name="front/login.html"
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("districts/<str:district_id>/", views.district, name="district"),
    path("schools/<str:district_id>/<str:school_id>/", views.school, name="school"),
    path(
        "schools/<str:district_id>/<str:school_id>/caseload/",
        views.school_caseload,
        name="school-caseload",
    ),
    path(
        "schools/<str:district_id>/<str:school_id>/students/",
        views.school_students,
        name="school-students",
    ),
    path(
        "schools/<str:district_id>/<str:school_id>/students.csv",
        views.school_students_csv,
        name="school-students-csv",
    ),
    path(
        "schools/<str:district_id>/<str:school_id>/outreach/",
        outreach.rounds,
        name="outreach",
    ),
    path("outreach/<int:pk>/", outreach.round_page, name="outreach-round"),
    path("outreach/<int:pk>/letters.pdf", outreach.letters, name="outreach-letters"),
    path("outreach/<int:pk>/letters/<str:household_id>/", outreach.letter, name="outreach-letter"),
    path("outreach/<int:pk>/approve/", outreach.approve, name="outreach-approve"),
    path("outreach/<int:pk>/send/", outreach.send, name="outreach-send"),
    path("outreach/<int:pk>/evaluate/", outreach.evaluate, name="outreach-evaluate"),
    path("caseloads/<int:pk>/", views.caseload, name="caseload"),
    path("students/<str:district_id>/<str:student_id>/", views.student, name="student"),
    path(
        "students/<str:district_id>/<str:student_id>/plans/new/",
        plans.new_plan,
        name="plan-new",
    ),
    path(
        "students/<str:district_id>/<str:student_id>/contacts/new/",
        families.new_contact,
        name="contact-new",
    ),
    path("contacts/<int:pk>/", families.contact, name="contact"),
    path("plans/<int:pk>/", plans.plan, name="plan"),
    path("plans/<int:pk>/end/", plans.end_plan, name="plan-end"),
    path("networks/<int:pk>/", views.network, name="network"),
    path(
        "networks/<int:pk>/library.csv",
        library.network_library_csv,
        name="network-library-csv",
    ),
    path(
        "networks/<int:pk>/library.json",
        library.network_library_json,
        name="network-library-json",
    ),
    path(
        "networks/<int:pk>/library/add/",
        library.network_library_add,
        name="network-library-add",
    ),
    path(
        "networks/<int:pk>/library/import/",
        library.network_library_import,
        name="network-library-import",
    ),
    path("improve/", improve.projects, name="improve-projects"),
    path("improve/new/", improve.project_new, name="improve-project-new"),
    path("improve/<int:pk>/", improve.project, name="improve-project"),
    path("improve/<int:pk>/aim/", improve.project_aim, name="improve-aim"),
    path("improve/<int:pk>/share/", improve.project_share, name="improve-share"),
    path("improve/<int:pk>/summary.html", improve.project_html, name="improve-summary-html"),
    path("improve/<int:pk>/summary.pdf", improve.project_pdf, name="improve-summary-pdf"),
    path("improve/<int:pk>/diagram/", improve.project_diagram, name="improve-diagram"),
    path(
        "improve/<int:pk>/diagram/<int:number>/",
        improve.diagram_version,
        name="improve-diagram-version",
    ),
    path("improve/<int:pk>/measures/new/", improve.measure_new, name="improve-measure-new"),
    path("improve/measures/<int:pk>/", improve.measure, name="improve-measure"),
    path("improve/ideas/<int:pk>/cycles/new/", improve.cycle_new, name="improve-cycle-new"),
    path("improve/cycles/<int:pk>/", improve.cycle, name="improve-cycle"),
    path("networks/<int:pk>/partners/", partners.partner_list, name="network-partners"),
    path("networks/<int:pk>/partners/new/", partners.partner_new, name="network-partner-new"),
    path(
        "networks/<int:pk>/partners/<int:partner>/",
        partners.partner_edit,
        name="network-partner-edit",
    ),
    path(
        "networks/<int:pk>/partners/<int:partner>/remove/",
        partners.partner_remove,
        name="network-partner-remove",
    ),
    path("networks/<int:pk>/events/", partners.event_list, name="network-events"),
    path("networks/<int:pk>/events.ics", partners.event_calendar, name="network-events-ics"),
    path("networks/<int:pk>/events/new/", partners.event_new, name="network-event-new"),
    path("networks/<int:pk>/events/<int:event>/", partners.event_edit, name="network-event-edit"),
    path(
        "networks/<int:pk>/events/<int:event>/remove/",
        partners.event_remove,
        name="network-event-remove",
    ),
    path("refresh/", intake.new_refresh, name="refresh"),
    path("refresh/<int:pk>/", intake.refresh_job, name="refresh-job"),
    path("refresh/<int:pk>/status", intake.refresh_job_status, name="refresh-job-status"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher
    path("admin/", admin.site.urls),
]
