"""The catalogue's forms, one for each button: adding an indicator, editing its catalogue
entry, adding, changing and withdrawing its targets, and assigning owners. Each checks what was
typed and makes the change through `boardpack.web.catalogue_edits`, which builds the catalogue
with it and runs the catalogue's own checks before keeping it."""

from __future__ import annotations

from django import forms

from boardpack.errors import NotFound

from .. import catalogue_edits as edits
from .. import cycle
from ..records.models import Indicator
from .form_page import PageForm, RecordField, VersionField, choice_field, text_field

#: The form field holding the version each kind of record was opened at.
BASES = {"indicator": "base_version", "target": "target_base"}


class CatalogueForm(PageForm):
    """A form of the catalogue entry's fields `labels`, checked as the catalogue checks an
    entry (its own messages, such as "did you mean lower_better")."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.labels:  # lists to choose from too: the catalogue names the words
            self.fields[name] = text_field()

    def stored(self) -> dict:
        """The catalogue entry as stored ({} for a new one)."""
        return {}

    def clean(self):
        """The entry as the catalogue would read it, checked by the catalogue's own models
        (`catalogue_edits.checked`): their problems are shown too, beside the fields that have
        none of the form's own, so every problem is listed at once."""
        data = super().clean()
        typed = {name: self.data.get(name, "") for name in self.labels}
        definition = edits.merged_definition(self.stored(), typed, self.labels)
        try:
            edits.checked(self.page.organisation, definition, self.labels)
        except cycle.Invalid as invalid:
            for name, text in invalid.errors.items():
                if name not in self.errors:
                    self.add_error(name if name in self.fields else None, text)
        return data

    def rebase(self, clash) -> dict:
        return {**self.values(), BASES[clash.theirs._meta.model_name]: clash.theirs.version}


class AddIndicatorForm(CatalogueForm):
    labels = edits.NEW_FIELDS

    def clean_ref(self) -> str:
        ref = self.cleaned_data.get("ref", "")
        if not ref:
            raise forms.ValidationError(
                "Reference: enter the indicator's reference, for example ASCH2"
            )
        organisation = self.page.organisation
        same = Indicator.objects.current().filter(organisation=organisation, ref__iexact=ref)
        found = same.first()
        if found is not None:
            raise forms.ValidationError(f"Reference: {found.ref} is already in the catalogue")
        return ref

    def save(self, user):
        added = edits.add_indicator(self.page.organisation, user, self.cleaned_data)
        self.added = added
        return f"{added.ref} is added to the catalogue; fill in the rest below"


class EntryEditForm(CatalogueForm):
    labels = edits.ENTRY_FIELDS
    base_version = VersionField()

    def stored(self) -> dict:
        return {**self.page.row.definition, "ref": self.page.ref}

    def save(self, user) -> str:
        page = self.page
        saved = edits.save_entry(page.organisation, page.ref, user, self.cleaned_data)
        return f"Saved {page.ref}" if saved else "Nothing had changed, so nothing was saved"


# --- targets -------------------------------------------------------------------------------


class TargetForm(PageForm):
    """A target's numbers, checked by the catalogue's own rules (`catalogue_edits.read_target`)
    for a new target (its period or start date too) or a stored one (`target_when`)."""

    target_value = text_field()
    target_floor = text_field()
    target_band = text_field()
    target_tolerance = text_field()
    target = None  # the stored target changed, when the form names one

    def frequency(self) -> str | None:
        return self.page.row.definition.get("frequency")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        when = edits.stored_when(self.target) if self.target is not None else None
        try:
            edits.read_target(data, self.frequency(), when)
        except cycle.Invalid as invalid:
            self.take(invalid)
        return data

    def rebase(self, clash) -> dict:
        return {**self.values(), "target_base": clash.theirs.version}


class AddTargetForm(TargetForm):
    target_period = text_field()
    target_from = text_field()

    def save(self, user) -> str:
        page = self.page
        added = edits.add_target(page.organisation, page.ref, user, self.cleaned_data)
        return f"Added the target {edits.target_words(added.when)}"


class StoredTargetForm(PageForm):
    """A form naming one of the indicator's stored targets and the version it was opened at."""

    target_when = forms.CharField(
        error_messages={"required": "The form names no target; open the page again"}
    )
    target_base = VersionField()
    target = None

    def clean_target_when(self) -> str:
        when = self.cleaned_data["target_when"]
        try:
            self.target = edits.current_target(self.page.organisation, self.page.ref, when)
        except NotFound as missing:
            raise forms.ValidationError(f"{missing}; open the page again") from None
        return when


class ChangeTargetForm(StoredTargetForm, TargetForm):
    def save(self, user) -> str:
        page = self.page
        changed = edits.change_target(page.organisation, page.ref, user, self.cleaned_data)
        if changed is None:
            return "Nothing had changed, so nothing was saved"
        return f"Changed the target {edits.target_words(changed.when)}"


class WithdrawTargetForm(StoredTargetForm):
    keeps_values = False

    def save(self, user) -> str:
        page = self.page
        gone = edits.withdraw_target(page.organisation, page.ref, user, self.cleaned_data)
        return f"Withdrew the target {edits.target_words(gone.when)}"

    def rebase(self, clash) -> dict:
        return {}


# --- assignments ---------------------------------------------------------------------------


class AssignForm(PageForm):
    user = choice_field("Owner: choose one of the owners listed")
    what = choice_field("What: choose an indicator or a team from the list")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.page.organisation
        self.fields["user"].choices = [(str(p.pk), p.get_username()) for p in edits.owners()]
        self.fields["what"].choices = [
            *((f"indicator:{row.ref}", row.ref) for row in edits.catalogue(organisation)),
            *((f"team:{name}", name) for name in edits.teams(organisation)),
        ]

    def save(self, user) -> str:
        made = edits.assign(self.page.organisation, user, self.cleaned_data)
        what = edits.assigned_text(made.indicator, made.team)
        return f"{edits.person_name(made.user)} now has {what}"


class RemoveAssignmentForm(PageForm):
    keeps_values = False
    assignment = RecordField(what="assignment")

    def save(self, user) -> str:
        gone = edits.unassign(self.page.organisation, user, self.cleaned_data["assignment"])
        what = edits.assigned_text(gone.indicator, gone.team)
        return f"{edits.person_name(gone.user)} no longer has {what}"
