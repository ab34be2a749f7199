"""Customer correspondence: letter templates and letters sent."""

from django.urls import path

from . import views_letters

urlpatterns: list = [
    path("letters/templates/", views_letters.template_list, name="letter_templates"),
    path("letters/print/", views_letters.print_file, name="letters_print_file"),
    path("letters/templates/<int:pk>/", views_letters.template_edit, name="letter_template_edit"),
    path(
        "letters/templates/<int:pk>/preview/",
        views_letters.template_preview,
        name="letter_template_preview",
    ),
    path("<str:number>/letters/new/", views_letters.letter_new, name="letter_new"),
    path("<str:number>/letters/<int:pk>.pdf", views_letters.letter_pdf, name="letter_pdf"),
]
