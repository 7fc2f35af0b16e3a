"""The web app's pages, one module per part of the cycle; each module has its `urlpatterns`.
Importing the package registers the `<ref:...>` address converter the patterns use."""

from . import converters  # noqa: F401
