"""The Store's tables. Figures, targets, commentary, overrides, catalogue entries and project
settings are versioned (`versioning.Versioned`); periods, packs and the audit log are plain."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from pydantic import ValidationError as PydanticError

from boardpack.catalogue import Indicator as IndicatorEntry

from .restricted import RestrictedQuerySet
from .versioning import ImmutableVersion, Versioned, version_constraint

USER = settings.AUTH_USER_MODEL


class Organisation(models.Model):
    """A council or other body reporting its performance (the project's `organisation:`)."""

    ORGANISATION_PATH = "pk"

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    directorate = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Membership(models.Model):
    """An organisation a user acts for. A user with no membership acts for every organisation
    in the database (a council running Boardpack alone); one or more limit them to those."""

    ORGANISATION_PATH = "organisation"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


class ProjectConfig(Versioned):
    """The project file apart from indicators and overrides: settings, rating schemes, data,
    commentary and report sections, and the folder its paths are relative to."""

    VALUES = ("config", "folder")
    COMPARED = ("config",)

    config = models.JSONField(encoder=DjangoJSONEncoder)
    folder = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [version_constraint("projectconfig", ())]


class Indicator(Versioned):
    """A catalogue entry: the `boardpack.yaml` entry (without targets, which are rows of
    `Target`) as JSON, checked by the catalogue's own model, with columns to search by."""

    KEY = ("ref",)
    INDICATOR_FIELD = "ref"

    def described(self) -> str:
        return f"The catalogue entry for {self.ref}"

    VALUES = (
        "definition",
        "position",
        "title",
        "tier",
        "directorate",
        "perspective",
        "cabinet_member",
        "director",
        "portfolio",
        "division",
        "lead_officer",
    )
    COMPARED = ("definition",)

    ref = models.CharField(max_length=100, db_index=True)
    definition = models.JSONField(encoder=DjangoJSONEncoder)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=500)
    tier = models.CharField(max_length=100, blank=True, default="", db_index=True)
    directorate = models.CharField(max_length=200, blank=True, default="", db_index=True)
    perspective = models.CharField(max_length=200, blank=True, default="")
    cabinet_member = models.CharField(max_length=200, blank=True, default="")
    director = models.CharField(max_length=200, blank=True, default="")
    portfolio = models.CharField(max_length=200, blank=True, default="")
    division = models.CharField(max_length=200, blank=True, default="")
    lead_officer = models.CharField(max_length=200, blank=True, default="", db_index=True)

    class Meta:
        constraints = [version_constraint("indicator", ("ref",))]
        permissions = [
            (
                "change_unassigned_indicator",
                "Can enter figures and commentary for indicators not assigned to them",
            )
        ]

    def entry(self) -> IndicatorEntry:
        """The catalogue entry, checked by the catalogue's model."""
        return IndicatorEntry.model_validate(self.definition)

    def clean(self) -> None:
        try:
            self.entry()
        except PydanticError as error:
            raise ValidationError({"definition": str(error)}) from None

    @staticmethod
    def columns(entry: IndicatorEntry) -> dict:
        """The searchable columns of a catalogue entry."""
        owners = entry.owners
        return {
            "title": entry.title,
            "tier": entry.tier or "",
            "directorate": entry.directorate or "",
            "perspective": entry.perspective or "",
            "cabinet_member": owners.cabinet_member or "",
            "director": owners.director or "",
            "portfolio": owners.portfolio or "",
            "division": owners.division or "",
            "lead_officer": owners.lead_officer or "",
        }


class Target(Versioned):
    """A catalogue target entry: for a period (`when` is its label) or from a date (`when` is
    "from YYYY-MM-DD")."""

    KEY = ("indicator", "when")
    INDICATOR_FIELD = "indicator"
    VALUES = ("position", "period", "from_date", "target", "floor", "band", "tolerance")
    COMPARED = ("target", "floor", "band", "tolerance")

    indicator = models.CharField(max_length=100, db_index=True)
    when = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    period = models.CharField(max_length=100, blank=True, default="")
    from_date = models.DateField(null=True, blank=True)
    target = models.FloatField()
    floor = models.FloatField(null=True, blank=True)
    band = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [version_constraint("target", ("indicator", "when"))]


class Observation(Versioned):
    """A figure: one indicator, organisation (`area`, an ONS code) and period, with the
    columns of the Dataset's observations frame."""

    KEY = ("indicator", "area", "period")
    INDICATOR_FIELD = "indicator"

    def described(self) -> str:
        return f"The figure for {self.indicator} in {self.period}"

    VALUES = (
        "period_start",
        "period_end",
        "end_month",
        "value",
        "numerator",
        "denominator",
        "target",
        "floor",
        "status",
        "note",
        "missing_reason",
        "published_rag",
        "published_direction",
        "baseline",
        "source",
        "position",
    )
    COMPARED = VALUES[:-2]

    indicator = models.CharField(max_length=100)
    area = models.CharField(max_length=40)
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    end_month = models.IntegerField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    floor = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=40, null=True, blank=True)
    note = models.TextField(null=True, blank=True)
    missing_reason = models.TextField(null=True, blank=True)
    published_rag = models.CharField(max_length=40, null=True, blank=True)
    published_direction = models.CharField(max_length=40, null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    source = models.TextField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [version_constraint("observation", ("indicator", "area", "period"))]
        indexes = [models.Index(fields=["organisation", "indicator", "area", "period", "version"])]
        permissions = [
            ("upload_observation", "Can upload figures from a file"),
            ("import_observation", "Can load records files into the Store"),
            (
                "revise_observation",
                "Can change figures outside an open period (closed, published or not due)",
            ),
        ]


class Commentary(Versioned):
    """One section of an indicator's commentary for a period (commentary, actions, risks,
    panel), in Markdown."""

    KEY = ("indicator", "period", "section")
    INDICATOR_FIELD = "indicator"

    #: How the pages name each section.
    SECTION_NAMES = {
        "commentary": "commentary",
        "actions": "actions being taken",
        "risks": "risks and mitigating actions",
        "panel": "panel's discussion",
    }

    def described(self) -> str:
        said = self.SECTION_NAMES.get(self.section, f"{self.section} commentary")
        return f"The {said} for {self.indicator} in {self.period}"

    VALUES = ("markdown", "position")
    COMPARED = ("markdown",)

    indicator = models.CharField(max_length=100)
    period = models.CharField(max_length=40)
    section = models.CharField(max_length=20)
    markdown = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "commentary"
        constraints = [version_constraint("commentary", ("indicator", "period", "section"))]


class RatingOverride(Versioned):
    """A manual rating with its published reason and approver."""

    KEY = ("indicator", "area", "period")
    INDICATOR_FIELD = "indicator"
    VALUES = ("rag", "reason_text", "approved_by", "approver_id", "position")
    COMPARED = ("rag", "reason_text", "approved_by")

    def described(self) -> str:
        return f"The manual rating for {self.indicator} in {self.period}"

    indicator = models.CharField(max_length=100)
    area = models.CharField(max_length=40)
    period = models.CharField(max_length=40)
    rag = models.CharField(max_length=20)
    reason_text = models.TextField()
    approved_by = models.CharField(max_length=200, null=True, blank=True)
    approver = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [version_constraint("ratingoverride", ("indicator", "area", "period"))]


class ReportTable(Versioned):
    """A report part read from its own file (risks, revenue, capital, commitments, narrative):
    the whole table as rows of JSON, one version per change."""

    KEY = ("name",)
    VALUES = ("rows",)

    name = models.CharField(max_length=40)
    rows = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [version_constraint("reporttable", ("name",))]


class NationalTable(Versioned):
    """A table of the national publication the project's `benchmarking:` section names (its
    values, measures, organisations or membership of comparator groups), as rows of JSON with
    the publication's title. A new version when the table changes: the digest of its rows is
    what is compared (and audited), not the thousands of rows themselves."""

    KEY = ("name",)
    VALUES = ("title", "digest", "rows")
    COMPARED = ("title", "digest")

    name = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    rows = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [version_constraint("nationaltable", ("name",))]


class ReportingPeriod(models.Model):
    """A reporting period of the cycle: open for figures until its deadline, then closed,
    then published."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    ORGANISATION_PATH = "organisation"
    #: Without this permission, a user sees only published periods.
    VIEW_LIMIT = (
        "boardpack.view_unpublished_reportingperiod",
        Q(status=Status.PUBLISHED),
        lambda period: period.status == ReportingPeriod.Status.PUBLISHED,
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    label = models.CharField(max_length=40)
    deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="one_period_per_label")
        ]
        permissions = [
            ("view_unpublished_reportingperiod", "Can see reporting periods before publishing")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"


class PublishedPack(models.Model):
    """A pack as published: built from the Store as at `as_at`, its files frozen here."""

    ORGANISATION_PATH = "period__organisation"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="packs")
    layout = models.CharField(max_length=60)
    as_at = models.DateTimeField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("a published pack is frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("a published pack is frozen")


class PublishedFile(models.Model):
    """One file of a published pack (HTML, SVG, CSS...), byte for byte."""

    ORGANISATION_PATH = "pack__period__organisation"

    pack = models.ForeignKey(PublishedPack, on_delete=models.PROTECT, related_name="files")
    path = models.CharField(max_length=500)
    content = models.BinaryField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pack", "path"], name="one_file_per_path")]

    def data(self) -> bytes:
        """The file's bytes (PostgreSQL hands back a memoryview)."""
        return bytes(self.content)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("a published pack is frozen")
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """One change: who, when, what was done to which record, before and after."""

    ORGANISATION_PATH = "organisation"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=40)
    kind = models.CharField(max_length=60)
    record = models.CharField(max_length=300)
    version = models.PositiveIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True, default="")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("audit entries are never deleted")


# --- the reporting cycle -------------------------------------------------------------------


class Assignment(models.Model):
    """What an owner may edit: one indicator (`indicator`, its reference) or a team's
    indicators (`team`, a division or directorate as the catalogue's entries name it)."""

    ORGANISATION_PATH = "organisation"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.CharField(max_length=100, blank=True, default="")
    team = models.CharField(max_length=200, blank=True, default="")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(indicator="", team=""), name="assignment_names_something"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.indicator or self.team}"


class Submission(models.Model):
    """Where one indicator stands in a period's cycle: the owner's draft, submitted, returned
    with a challenge, or approved. Changed only through `boardpack.web.cycle`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not submitted"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned with a challenge"
        APPROVED = "approved", "Approved"

    ORGANISATION_PATH = "period__organisation"
    INDICATOR_FIELD = "indicator"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="submissions"
    )
    indicator = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="one_submission_each")
        ]
        permissions = [("approve_submission", "Can return or approve submitted figures")]


class Discussion(models.Model):
    """One entry in an indicator's review for a period, in Markdown: a challenge, the owner's
    answer, the panel's discussion or an agreed action. Never changed or deleted."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", "Challenge"
        ANSWER = "answer", "Answer"
        PANEL = "panel", "Panel discussion"
        ACTION = "action", "Agreed action"
        APPROVAL = "approval", "Approval"

    ORGANISATION_PATH = "period__organisation"
    INDICATOR_FIELD = "indicator"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="discussion")
    indicator = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        permissions = [("panel_discussion", "Can record the panel's discussion and agreed actions")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("discussion entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("discussion entries are never deleted")


class OverrideRequest(models.Model):
    """A manual rating asked for with its reason, waiting for an approver (not the person who
    asked). Approval saves a `RatingOverride` version naming the approver."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    ORGANISATION_PATH = "period__organisation"
    INDICATOR_FIELD = "indicator"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=100)
    area = models.CharField(max_length=40)
    rag = models.CharField(max_length=20)
    reason_text = models.TextField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        permissions = [("decide_overriderequest", "Can approve or refuse a manual rating")]


class ApiToken(models.Model):
    """A token for the read API. Only its SHA-256 digest is kept; `prefix` shows which it is."""

    USER_FIELD = "user"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    objects = RestrictedQuerySet.as_manager()


class ReminderSent(models.Model):
    """An e-mail reminder sent to an owner for a period, so each is sent once."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Before the deadline"
        AFTER = "after", "After the deadline"

    ORGANISATION_PATH = "period__organisation"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "user", "kind"], name="one_reminder_each")
        ]
