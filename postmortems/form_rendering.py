"""The editor's form renderer: Django's widget templates, written out in Python.

A postmortem's edit page shows a few hundred inputs and selects (every row of every row set),
and Django renders each one through three or four templates (the widget, input.html,
attrs.html, one per select option): some 4,000 template renders on a page with 80 extra rows,
nearly all of the page's server time. This renderer produces the same HTML, byte for byte, for
the widgets, error lists and hidden-only forms (the row sets' management forms) the editor
uses (tests/test_form_rendering.py compares it with Django's templates) and leaves every other
template to Django.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_OPTION_TEMPLATE = _WIDGETS + "select_option.html"
_FORM_TEMPLATE = "django/forms/div.html"
# Every input type is its own template that includes input.html, unchanged.
_INPUT_TEMPLATES = {
    _WIDGETS + f"{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
_ERROR_LIST_TEMPLATES = {
    "django/forms/errors/list/default.html",
    "django/forms/errors/list/ul.html",
}
# What `{{ value }}` does in a template with autoescaping on: localize, then escape.
_AUTOESCAPE = Context(autoescape=True)


def _text(value) -> str:
    """`{{ value }}`. A plain string, nearly every value here, is only escaped (the standard
    library's escape is Django's, without its lazy-string wrapper, which costs more)."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _AUTOESCAPE)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: text of the value, escaped unless already safe."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: False leaves the attribute out, True writes its bare name."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None  # a custom option template: Django renders the whole select
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _error_list(errors, error_class) -> str:
    if not errors:
        return ""
    field_id = f' id="{_text(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(error_class)}"{field_id}>{items}</ul>'


class EditorFormRenderer(DjangoTemplates):
    """Django's default form renderer, with its widget and error-list templates in Python."""

    def render(self, template_name, context, request=None):
        html = None
        if template_name in _INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == _WIDGETS + "textarea.html":
            html = _textarea(context["widget"])
        elif template_name == _WIDGETS + "select.html":
            html = _select(context["widget"])
        elif template_name in _ERROR_LIST_TEMPLATES:
            html = _error_list(context["errors"], context["error_class"])
        elif template_name == _FORM_TEMPLATE and not context["fields"] and not context["errors"]:
            # A form of hidden inputs only, without errors (a row set's management form):
            # div.html writes the inputs one after the other.
            html = "".join(str(field) for field in context["hidden_fields"])
        if html is None:
            return super().render(template_name, context, request)
        return html
