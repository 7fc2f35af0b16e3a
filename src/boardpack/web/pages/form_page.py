"""The pages' forms and the one way a page answers them.

Every button of a page posts its own form (`name="action" value="..."` names it), a Django
form that checks what was typed (ids read as numbers, every problem at once) and then makes the
change through the domain rules (`boardpack.web.cycle`, `catalogue_edits`, ...), which say
what was done. A `FormPageView` holds a registry of them, `{action: FormClass}`, and answers
each the same way, through one `render(form=..., status=..., clash=...)`:

- 400 with each problem beside its field and a summary at the top, for values to correct;
- 409 for a step the record's state refuses, or a stale save: the form is rebased on the
  version saved meanwhile and the page shows both (`clash`);
- otherwise a message saying what was done, and a redirect (`done_at`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from boardpack.errors import NotFound

from .. import cycle
from ..records.changes import Conflict

#: Where problems that belong to no one field are listed (the summary shows them unlinked).
PROBLEM = "problem"
#: The conflicts a save may meet: a stale version of one record, or of parts of an entry.
CLASHES = (Conflict, cycle.EntryConflict)


def text_field(required: str | None = None, **kwargs) -> forms.CharField:
    """A text box; `required`, what to say when it is left blank (None: it may be)."""
    field = forms.CharField(required=required is not None, **kwargs)
    if required:
        field.error_messages["required"] = required
    return field


def choice_field(message: str, invalid: str | None = None, **kwargs) -> forms.ChoiceField:
    """A list to choose from; `message`, what to say when nothing or something not listed
    is chosen (`invalid`, for the latter when it needs other words). The choices may be given
    here or set by the form when it is made."""
    errors = {"required": message, "invalid_choice": invalid or message}
    return forms.ChoiceField(error_messages=errors, **kwargs)


class PageForm(forms.Form):
    """One button's form on a page (`page`, the view answering it). `save(user)` makes the
    change with the cleaned data and returns what was done, in words (or a response of its
    own); it may raise the domain's `Invalid`, a conflict or a refusal."""

    #: Whether the page shows the posted values again when the form is refused.
    keeps_values = True
    #: The message of a field left blank that must be given, unless a field says its own.
    required_words = "Fill in this field"

    def __init__(self, data=None, files=None, *, page=None):
        super().__init__(data, files)
        self.page = page
        default = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            if field.error_messages.get("required") == default:
                field.error_messages["required"] = self.required_words

    def permitted(self, user) -> str | PermissionDenied | None:
        """Why `user` may not send this form at all (refused, 403, before anything typed is
        checked: words, or an `access.Refused`), or None. The domain checks again when it
        makes the change."""
        return None

    def save(self, user) -> str | HttpResponse:
        raise NotImplementedError(f"{type(self).__name__} does not say how it is saved")

    def values(self) -> dict:
        """The values posted, to show in the page's fields again."""
        if not self.keeps_values or self.data is None:
            return {}
        return {name: self.data.get(name, "") for name in self.data}

    def rebase(self, clash) -> dict:
        """The posted values based on the version saved meanwhile (saving again replaces
        theirs, once compared)."""
        return self.values()

    def take(self, invalid: cycle.Invalid) -> None:
        """The domain's problems put beside their fields (the rest in the summary)."""
        for name, text in invalid.errors.items():
            self.add_error(name if name in self.fields else None, text)

    def problems(self) -> dict[str, str]:
        """Every problem by the field it belongs to, as the templates show them: "problem" for
        the form as a whole and for its hidden fields (a damaged form)."""
        found: dict[str, list[str]] = {}
        for name, texts in self.errors.items():
            field = self.fields.get(name)
            shown = field is not None and not field.widget.is_hidden
            key = self.add_prefix(name) if shown else PROBLEM
            found.setdefault(key, []).extend(texts)
        return {key: "; ".join(texts) for key, texts in found.items()}


class UnknownButton(PageForm):
    """What a post naming no button of the page gets: a 400 saying so."""

    keeps_values = False

    def clean(self):
        raise forms.ValidationError(self.page.unknown_words)


class RecordField(forms.IntegerField):
    """The number of a record a form names (a hidden field): anything else means the form
    was damaged, and the page says to open it again."""

    widget = forms.HiddenInput

    def __init__(self, *, what: str, **kwargs):
        damaged = f"The form names no {what}; open the page again"
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**62)
        super().__init__(**kwargs)
        for code in ("invalid", "required", "min_value", "max_value"):
            self.error_messages[code] = damaged


class VersionField(RecordField):
    """The version a record was opened at (0: new, or never saved)."""

    def __init__(self, **kwargs):
        super().__init__(what="version it was opened at", required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or 0


class FormPageView(View):
    """A page with forms: `load(**kwargs)` finds what the address names, `initial()` gives the
    form's stored values, `context(clash)` what the template shows besides; `forms` maps each
    button's action to its form class."""

    template: str = ""
    forms: dict[str, type[PageForm]] = {}
    #: The form posted, while the page answering it is rendered (None for a plain view).
    posted: PageForm | None = None
    #: The button a post without an action means (None: it must name one).
    default_action: str | None = None
    #: What a post naming no button of the page is told.
    unknown_words = (
        "The form sent names no button of this page; open the page again and use its buttons"
    )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.load(**kwargs)

    def load(self, **kwargs) -> None:
        """Find the records the address names (404 when there are none)."""

    def initial(self) -> dict:
        """The forms' values as stored."""
        return {}

    def context(self, clash=None) -> dict:
        """What the template shows besides the form and its problems."""
        return {}

    def done_at(self, form: PageForm) -> str:
        """Where a saved form goes: this page again, by default."""
        return self.request.get_full_path()

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action") or self.default_action or ""
        form = self.forms.get(action, UnknownButton)(request.POST, request.FILES, page=self)
        refused = form.permitted(request.user)
        if refused:
            raise refused if isinstance(refused, PermissionDenied) else PermissionDenied(refused)
        if not form.is_valid():
            return self.render(form=form, status=400)
        try:
            done = form.save(request.user)
        except cycle.Invalid as invalid:
            form.take(invalid)
            return self.render(form=form, status=400)
        except CLASHES as clash:
            form.add_error(None, str(clash))
            return self.render(form=form, status=409, clash=clash)
        except (cycle.CycleError, NotFound) as refused:
            form.add_error(None, str(refused))
            return self.render(form=form, status=409)
        if isinstance(done, HttpResponse):
            return done
        messages.success(self.request, done)
        return redirect(self.done_at(form))

    def render(self, form: PageForm | None = None, status: int = 200, clash=None):
        """The page, with `form`'s values and problems when one was posted, and the version
        saved meanwhile when it met a `clash`."""
        self.posted = form
        shown = {}
        if form is not None:
            shown = form.rebase(clash) if clash is not None else form.values()
        context = {
            **self.context(clash),
            "form": {**self.initial(), **shown},
            "errors": form.problems() if form is not None else {},
        }
        return render(self.request, self.template, context, status=status)
