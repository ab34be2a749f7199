from django.contrib import admin

from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "customer_class", "status", "opened_on"]
    list_filter = ["kind", "customer_class", "status"]
    search_fields = ["number", "name"]
    readonly_fields = ["number"]
