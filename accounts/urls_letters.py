"""Customer correspondence: letter templates and letters sent."""

urlpatterns: list = []
