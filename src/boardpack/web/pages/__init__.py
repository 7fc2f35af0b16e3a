"""The web app's pages, one module per part of the cycle; each module has its `urlpatterns`."""
