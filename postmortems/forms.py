"""The one form that writes a postmortem: the main fields and four inline row sets."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.text import slugify

from .models import Change, Commitment, Lag, Postmortem, TimelineEntry
from .slugs import RESERVED_SLUGS
from .utc import format_utc, parse_utc

ROW_PREFIXES = ("timeline", "lags", "changes", "commitments")


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


class PostmortemForm(forms.ModelForm):
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
        currency = (self.cleaned_data.get("impact_currency") or "").strip().upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError("Use a three-letter currency code such as USD or EUR.")
        return currency or "USD"

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:200]
        if not slug:
            return ""
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f'"{slug}" is reserved; choose another slug.')
        clash = Postmortem.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f'Another postmortem already uses the slug "{slug}".')
        return slug

    def clean_authors_text(self):
        names = _split_names(self.cleaned_data.get("authors_text", ""))
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        unknown = [name for name in names if name not in users]
        if unknown:
            raise forms.ValidationError(f"No user named {', '.join(unknown)}.")
        return [users[name] for name in names]

    def clean_services_text(self):
        return _split_names(self.cleaned_data.get("services_text", ""))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("incident_start"), cleaned.get("incident_end")
        if start and end and end < start:
            self.add_error("incident_end", "The incident cannot end before it starts.")
        return cleaned


class TimelineEntryForm(forms.ModelForm):
    at = UTCDateTimeField(required=True, label="Time (UTC)")

    class Meta:
        model = TimelineEntry
        fields = ["at", "text", "actor", "phase"]
        widgets = {"text": forms.TextInput(attrs={"placeholder": "what happened"})}
        labels = {"phase": "Phase"}

    def __init__(self, *args, default_date=None, **kwargs):
        self.default_date = default_date
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "(suggested)")] + list(TimelineEntry.Phase.choices)
        self.fields["phase"].required = False

    def clean_at(self):
        value = self.cleaned_data.get("at")
        try:
            return parse_utc(value, default_date=self.default_date)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class LagForm(forms.ModelForm):
    class Meta:
        model = Lag
        fields = ["kind", "minutes", "text"]


class ChangeForm(forms.ModelForm):
    class Meta:
        model = Change
        fields = ["kind", "text", "reference", "url", "owner", "due", "status"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def clean_owner(self):
        return (self.cleaned_data.get("owner") or "").strip().lstrip("@")


class CommitmentForm(forms.ModelForm):
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


def _formset(model, form):
    return inlineformset_factory(
        Postmortem, model, form=form, formset=RowFormSet, extra=0, can_delete=True
    )


FORMSETS = {
    "timeline": _formset(TimelineEntry, TimelineEntryForm),
    "lags": _formset(Lag, LagForm),
    "changes": _formset(Change, ChangeForm),
    "commitments": _formset(Commitment, CommitmentForm),
}


class PostmortemEditor:
    """The main form and its four row sets, validated and shown together."""

    def __init__(self, data=None, *, instance: Postmortem | None = None):
        self.instance = instance or Postmortem()
        self.data = data
        # What the person typed, kept as-is for the revision whatever validation says.
        self.submitted = (
            {key: data.get(key, "") for key in data if key != "csrfmiddlewaretoken"}
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

    def _default_date(self):
        if self.data is not None:
            try:
                return parse_utc(self.data.get("incident_start", "")).date()
            except ValueError:
                return None
        return self.instance.incident_start.date() if self.instance.incident_start else None

    def is_valid(self) -> bool:
        results = [self.form.is_valid()] + [fs.is_valid() for fs in self.formsets.values()]
        return all(results)

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for formset in self.formsets.values():
            count += sum(len(errors) for errors in formset.errors) + len(formset.non_form_errors())
        return count

    def __getitem__(self, prefix):
        return self.formsets[prefix]
