"""The editor's form: the main fields and four inline row sets.

The forms only read what was typed into plain values (times, numbers, dates); what the
content must satisfy is checked by the write service, for every writer alike.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from .content import (
    ChangeRow,
    CommitmentRow,
    FieldError,
    LagRow,
    PostmortemContent,
    Submission,
    TimelineRow,
)
from .document import parse_timeline
from .form_rendering import EditorFormRenderer
from .models import Change, Commitment, Lag, Postmortem, TimelineEntry
from .utc import format_utc, parse_utc

ROW_PREFIXES = ("timeline", "lags", "changes", "commitments")
# Shared by the main form and the row sets: its template engine is built once.
RENDERER = EditorFormRenderer()
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


class UTCDateTimeField(forms.CharField):
    """A time in UTC typed as text; "HH:MM" alone takes the day given to the form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD HH:MM"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.datetime):
            return format_utc(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return value or None


def _split_names(text: str) -> list[str]:
    names = [part.strip().lstrip("@") for part in (text or "").replace("\n", ",").split(",")]
    return list(dict.fromkeys(name for name in names if name))


class ReadsOnly:
    """A model form that reads values but never touches its instance or checks the model:
    the write service validates, and the postmortem on the page stays as stored (a form
    bound to bad input once renamed the page's postmortem to slug "")."""

    default_renderer = RENDERER

    def _post_clean(self):
        pass


class PostmortemForm(ReadsOnly, forms.ModelForm):
    incident_start = UTCDateTimeField(required=False, label="Incident start (UTC)")
    incident_end = UTCDateTimeField(required=False, label="Incident end (UTC)")
    services_text = forms.CharField(
        required=False,
        label="Services affected",
        help_text="Comma-separated, e.g. refund-agent, payments-api",
    )
    authors_text = forms.CharField(
        required=False, label="Authors", help_text="Comma-separated usernames"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    slug = forms.SlugField(
        required=False, max_length=200, help_text="Left empty, it is made from the title."
    )

    class Meta:
        model = Postmortem
        fields = [
            "title",
            "slug",
            "severity",
            "incident_start",
            "incident_end",
            "impact_users",
            "impact_minutes",
            "impact_money",
            "impact_currency",
            "impact_summary",
            "what_broke",
            "why",
        ]
        widgets = {
            "impact_summary": forms.Textarea(attrs={"rows": 4}),
            "what_broke": forms.Textarea(attrs={"rows": 6}),
            "why": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["services_text"] = ", ".join(s.name for s in self.instance.services.all())
            self.initial["authors_text"] = ", ".join(
                u.username for u in self.instance.authors.all()
            )
            self.initial["version"] = self.instance.version

    def _clean_time(self, name):
        value = self.cleaned_data.get(name)
        if not value:
            return None
        try:
            return parse_utc(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_incident_start(self):
        return self._clean_time("incident_start")

    def clean_incident_end(self):
        return self._clean_time("incident_end")

    def clean_impact_currency(self):
        return (self.cleaned_data.get("impact_currency") or "").strip().upper() or "USD"

    def clean_authors_text(self):
        return _split_names(self.cleaned_data.get("authors_text", ""))

    def clean_services_text(self):
        return _split_names(self.cleaned_data.get("services_text", ""))


class TimelineEntryForm(ReadsOnly, forms.ModelForm):
    # A line may have no readable time (old documents): kept, and the checker calls it vague.
    at = UTCDateTimeField(required=False, label="Time (UTC)")
    # Declared once here rather than re-set on each row's copy of the model's field.
    phase = forms.TypedChoiceField(
        choices=[("", "(suggested)"), *TimelineEntry.Phase.choices],
        required=False,
        label="Phase",
        empty_value="",
    )

    class Meta:
        model = TimelineEntry
        fields = ["at", "text", "actor", "phase"]
        widgets = {"text": forms.TextInput(attrs={"placeholder": "what happened"})}

    def __init__(self, *args, default_date=None, **kwargs):
        self.default_date = default_date
        super().__init__(*args, **kwargs)

    def clean_at(self):
        value = self.cleaned_data.get("at")
        if not value:
            return None
        try:
            return parse_utc(value, default_date=self.default_date)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class LagForm(ReadsOnly, forms.ModelForm):
    class Meta:
        model = Lag
        fields = ["kind", "minutes", "text"]


class ChangeForm(ReadsOnly, forms.ModelForm):
    class Meta:
        model = Change
        fields = ["kind", "text", "reference", "url", "owner", "due", "status"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def clean_owner(self):
        return (self.cleaned_data.get("owner") or "").strip().lstrip("@")


class CommitmentForm(ReadsOnly, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "owner", "due", "status"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def clean_owner(self):
        return (self.cleaned_data.get("owner") or "").strip().lstrip("@")


class RowFormSet(BaseInlineFormSet):
    """Rows keep the order they were typed in; empty extra rows are ignored."""

    def get_queryset(self):
        # Cached: the formset asks for it once per row.
        if not hasattr(self, "_ordered_queryset"):
            self._ordered_queryset = super().get_queryset().order_by("position", "id")
        return self._ordered_queryset

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks each posted row id with a query of its own; read them from the rows
        # loaded once instead, so a save costs the same whatever the number of rows.
        name = self.model._meta.pk.name
        form.fields[name] = StoredRowField(self, initial=form.fields[name].initial)


class StoredRowField(forms.Field):
    """The hidden id of a stored row, checked against the row set's one query."""

    widget = forms.HiddenInput

    def __init__(self, formset, *, initial=None):
        self.formset = formset
        super().__init__(required=False, initial=initial)

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        rows = {str(row.pk): row for row in self.formset.get_queryset()}
        # A row removed since the page loaded comes back as a new row: nothing typed is lost.
        return rows.get(str(value))


def _formset(model, form):
    return inlineformset_factory(
        Postmortem,
        model,
        form=form,
        formset=RowFormSet,
        extra=0,
        can_delete=True,
        renderer=RENDERER,
    )


FORMSETS = {
    "timeline": _formset(TimelineEntry, TimelineEntryForm),
    "lags": _formset(Lag, LagForm),
    "changes": _formset(Change, ChangeForm),
    "commitments": _formset(Commitment, CommitmentForm),
}


class PostmortemEditor:
    """The main form and its four row sets, shown together and read into one Submission."""

    def __init__(self, data=None, *, instance: Postmortem | None = None):
        self.instance = instance or Postmortem()
        self.data = data
        # What the person typed, kept as-is for the revision whatever validation says.
        self.submitted = (
            {key: data.get(key, "") for key in data if key not in ("csrfmiddlewaretoken", "action")}
            if data is not None
            else {}
        )
        self.form = PostmortemForm(data, instance=self.instance, prefix=None)
        default_date = self._default_date()
        self.formsets = {
            prefix: factory(
                data,
                instance=self.instance,
                prefix=prefix,
                form_kwargs={"default_date": default_date} if prefix == "timeline" else {},
            )
            for prefix, factory in FORMSETS.items()
        }
        self.paste_errors: list[tuple[int, str]] = []
        self.show_errors = True

    def _default_date(self):
        if self.data is not None:
            try:
                return parse_utc(self.data.get("incident_start", "")).date()
            except ValueError:
                return None
        return self.instance.incident_start.date() if self.instance.incident_start else None

    @property
    def paste_text(self) -> str:
        """What is in the paste box: kept until its lines are rows."""
        return (self.data or {}).get("timeline_paste", "") if self.data is not None else ""

    def quiet(self) -> PostmortemEditor:
        """Show the typed values without errors: rows just added (or pasted) are not
        submitted yet, so "This field is required." would be wrong under them."""
        self.show_errors = False
        return self

    def submission(self) -> Submission:
        """What was typed, read into one plain content value, with what could not be read.

        Lines in the paste box become timeline rows here, so Save applies them; a line that
        does not parse is a problem named by its line, and stays in the box.
        """
        problems: list[FieldError] = []
        self.form.is_valid()
        problems += [
            FieldError(name, str(message))
            for name, messages in self.form.errors.items()
            for message in messages
        ]
        cleaned = self.form.cleaned_data
        rows: dict[str, list] = {}
        row_index: dict[str, dict[int, int]] = {}
        for prefix, formset in self.formsets.items():
            formset.is_valid()
            rows[prefix], row_index[prefix] = [], {}
            for form_index, form in enumerate(formset.forms):
                if not form.has_changed() and form.instance.pk is None:
                    continue  # an empty row nobody typed in
                row_cleaned = getattr(form, "cleaned_data", {})
                if row_cleaned.get("DELETE"):
                    continue
                problems += [
                    FieldError(f"{prefix}-{form_index}-{name}", str(message))
                    for name, messages in form.errors.items()
                    for message in messages
                ]
                row_index[prefix][len(rows[prefix])] = form_index
                rows[prefix].append(_row(prefix, row_cleaned, form.instance.pk))
        problems += [
            FieldError(f"{prefix}-non-form", str(message))
            for prefix, formset in self.formsets.items()
            for message in formset.non_form_errors()
        ]
        paste = self.paste_text
        if paste.strip():
            entries, errors = parse_timeline(paste, default_date=self._default_date())
            rows["timeline"] += [
                TimelineRow(at=e.at, text=e.text, actor=e.actor, phase=e.phase or "")
                for e in entries
                if e.at is not None
            ]
            self.paste_errors = list(errors)
            problems += [
                FieldError("timeline_paste", f"Line {line}: {message}") for line, message in errors
            ]
        # A timeline reads in time order, whichever order its lines were typed or pasted in
        # (an imported document keeps its own order: only the editor sorts).
        order = sorted(
            range(len(rows["timeline"])),
            key=lambda i: (rows["timeline"][i].at is None, rows["timeline"][i].at or _EPOCH),
        )
        rows["timeline"] = [rows["timeline"][i] for i in order]
        row_index["timeline"] = {
            new: row_index["timeline"][old]
            for new, old in enumerate(order)
            if old in row_index["timeline"]
        }
        content = PostmortemContent(
            title=(cleaned.get("title") or "").strip(),
            slug=cleaned.get("slug") or "",
            severity=cleaned.get("severity") or "SEV3",
            incident_start=cleaned.get("incident_start"),
            incident_end=cleaned.get("incident_end"),
            services=tuple(cleaned.get("services_text") or ()),
            authors=tuple(cleaned.get("authors_text") or ()),
            impact_users=cleaned.get("impact_users"),
            impact_minutes=cleaned.get("impact_minutes"),
            impact_money=cleaned.get("impact_money"),
            impact_currency=cleaned.get("impact_currency") or "USD",
            impact_summary=cleaned.get("impact_summary") or "",
            what_broke=cleaned.get("what_broke") or "",
            why=cleaned.get("why") or "",
            **{prefix: tuple(found) for prefix, found in rows.items()},
        )
        return Submission(
            content=content,
            problems=tuple(problems),
            typed=dict(self.submitted),
            row_index=row_index,
        )

    def show(self, errors, row_index: dict) -> None:
        """Put each of the write service's FieldErrors next to its field; they name rows by
        their index in the content, which ``row_index`` turns back into the form's row."""
        for error in errors:
            name = error.field
            prefix, _, rest = name.partition("-")
            if prefix in self.formsets and rest and rest != "non-form":
                position, _, field = rest.partition("-")
                form_index = row_index.get(prefix, {}).get(int(position))
                forms_ = self.formsets[prefix].forms
                if form_index is not None and field in forms_[form_index].fields:
                    _add_once(forms_[form_index], field, error.message)
                    continue
            if name in self.form.fields:
                _add_once(self.form, name, error.message)
            elif name == "timeline_paste":
                continue  # shown under the paste box, from paste_errors
            else:
                _add_once(self.form, None, error.message)

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for formset in self.formsets.values():
            count += sum(len(errors) for errors in formset.errors) + len(formset.non_form_errors())
        return count + len(self.paste_errors)

    def __getitem__(self, prefix):
        return self.formsets[prefix]


def _add_once(form, field, message) -> None:
    if message not in form.errors.get(field or "__all__", []):
        form.add_error(field, message)


def _row(prefix: str, cleaned: dict, pk):
    if prefix == "timeline":
        return TimelineRow(
            at=cleaned.get("at"),
            text=(cleaned.get("text") or "").strip(),
            actor=(cleaned.get("actor") or "").strip(),
            phase=cleaned.get("phase") or "",
            id=pk,
        )
    if prefix == "lags":
        return LagRow(
            kind=cleaned.get("kind") or "other",
            minutes=cleaned.get("minutes"),
            text=(cleaned.get("text") or "").strip(),
            id=pk,
        )
    if prefix == "changes":
        return ChangeRow(
            kind=cleaned.get("kind") or "other",
            text=(cleaned.get("text") or "").strip(),
            reference=(cleaned.get("reference") or "").strip(),
            url=cleaned.get("url") or "",
            owner=cleaned.get("owner") or "",
            due=cleaned.get("due"),
            status=cleaned.get("status") or "open",
            id=pk,
        )
    return CommitmentRow(
        text=(cleaned.get("text") or "").strip(),
        owner=cleaned.get("owner") or "",
        due=cleaned.get("due"),
        status=cleaned.get("status") or "open",
        id=pk,
    )
