from django.urls import path

from accounts.views import accounts, letters, service

app_name = "accounts"

urlpatterns = [
    path("", accounts.index, name="index"),
    # Field work
    path("field/", accounts.dispatch_list, name="dispatch"),
    path("field/<int:pk>/complete/", accounts.field_complete, name="field_complete"),
    path("field/<int:pk>/cancel/", service.field_cancel, name="field_cancel"),
    # Correspondence; before "<number>/" so "letters" is never read as an account
    path("letters/templates/", letters.template_list, name="letter_templates"),
    path("letters/print/", letters.print_file, name="letters_print_file"),
    path("letters/templates/<int:pk>/", letters.template_edit, name="letter_template_edit"),
    path(
        "letters/templates/<int:pk>/preview/",
        letters.template_preview,
        name="letter_template_preview",
    ),
    # Starting service
    path("start/", service.start_customer, name="start_customer"),
    path("start/premise/", service.start_premise, name="start_premise"),
    path("start/services/", service.start_services, name="start_services"),
    # One account
    path("<str:number>/", accounts.detail, name="detail"),
    path("<str:number>/tabs/<str:name>/", accounts.tab, name="tab"),
    path("<str:number>/history.csv", accounts.history_export, name="history_export"),
    path("<str:number>/contacts/", accounts.contact_add, name="contact_add"),
    path("<str:number>/notes/", accounts.note_add, name="note_add"),
    path("<str:number>/stop/", service.stop, name="stop"),
    path("<str:number>/transfer/", service.transfer, name="transfer"),
    path("<str:number>/field/new/", service.field_order, name="field_order"),
    path("<str:number>/statement.pdf", accounts.statement_pdf, name="statement_pdf"),
    path("<str:number>/letters/new/", letters.letter_new, name="letter_new"),
    path("<str:number>/letters/<int:pk>.pdf", letters.letter_pdf, name="letter_pdf"),
]
