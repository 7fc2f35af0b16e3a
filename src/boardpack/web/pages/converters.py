"""An indicator reference in a page address. References may hold "/" (Barnet's "AC/S3"),
which cannot stand inside one path segment, so addresses write it as "~": /indicators/AC~S3/."""

from __future__ import annotations

from django.urls import register_converter


class RefConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return value.replace("~", "/")

    def to_url(self, value: str) -> str:
        return str(value).replace("/", "~")


register_converter(RefConverter, "ref")
