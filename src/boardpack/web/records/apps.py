from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "boardpack.web.records"
    label = "boardpack"
    verbose_name = "Boardpack"
    default_auto_field = "django.db.models.BigAutoField"
