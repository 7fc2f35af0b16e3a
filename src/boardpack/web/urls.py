"""URL routes; the pages arrive with the reporting cycle."""

urlpatterns: list = []
