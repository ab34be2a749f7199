from django.urls import path

from alarms.views import appeals, imports, lists, permits, reports, statements

app_name = "alarms"

urlpatterns = [
    path("", permits.index, name="index"),
    # Permits and the Licensing counter's lookup
    path("permits/", lists.PermitsView.as_view(), name="permits"),
    path("permits/new/", permits.permit_new, name="permit_new"),
    path("permits/<str:number>/", permits.permit, name="permit"),
    path("permits/<str:number>/permit.pdf", permits.permit_pdf, name="permit_pdf"),
    path("permits/<str:number>/change/", permits.permit_change, name="permit_change"),
    path("permits/<str:number>/renew/", permits.permit_renew_view, name="permit_renew"),
    path("permits/<str:number>/reinstate/", permits.permit_reinstate_view, name="permit_reinstate"),
    path("lookup/", permits.lookup, name="lookup"),
    # Alarm companies
    path("companies/", lists.CompaniesView.as_view(), name="companies"),
    path("companies/new/", permits.company_edit, name="company_new"),
    path("companies/<int:pk>/", permits.company, name="company"),
    path("companies/<int:pk>/edit/", permits.company_edit, name="company_edit"),
    # Files: the dispatch feed and company registrations
    path("feed/", imports.feed, name="feed"),
    path("registrations/", imports.registrations, name="registrations"),
    path("incidents/", lists.IncidentsView.as_view(), name="incidents"),
    path("incidents/<str:number>/", imports.incident, name="incident"),
    # Invoices and appeals
    path("invoices/", lists.InvoicesView.as_view(), name="invoices"),
    path("invoices/<str:number>/", appeals.invoice, name="invoice"),
    path("invoices/<str:number>/invoice.pdf", permits.invoice_pdf, name="invoice_pdf"),
    path("appeals/", lists.AppealsView.as_view(), name="appeals"),
    path("appeals/<int:pk>/", appeals.appeal, name="appeal"),
    path("appeals/<int:pk>/schedule/", appeals.appeal_schedule_view, name="appeal_schedule"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide_view, name="appeal_decide"),
    # Monthly statements of open invoices
    path("statements/", statements.statements, name="statements"),
    path("statements/print.pdf", statements.statements_pdf, name="statements_pdf"),
    path("statements/<str:number>.pdf", statements.statement_pdf, name="statement_pdf"),
    # Reports
    path("reports/<str:name>/", reports.ReportView.as_view(), name="report"),
]
