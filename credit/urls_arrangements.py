"""Payment arrangements, assistance pledges and the collector's call log."""

urlpatterns: list = []
