"""`{% editor_row form show_errors %}`: one row of a row set in the editor, written in Python.

A timeline of 40 lines is 40 rows of five or six cells; looping over them in the template
language (a for loop, an if and two lookups per cell) cost about as much as rendering the
widgets themselves. The HTML is the one the loop wrote (tests/test_form_rendering.py).
"""

from django import template
from django.forms.utils import pretty_name
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def editor_row(form, show_errors) -> SafeString:
    cells = "".join(
        f"<td>{field}{field.errors if show_errors else ''}</td>"
        for field in form.visible_fields()
        if field.name != "DELETE"
    )
    hidden = "".join(str(field) for field in form.hidden_fields())
    # Every piece is a widget or error list already rendered and escaped by the form renderer.
    return mark_safe(  # noqa: S308
        f'<tr>{cells}<td>{hidden}<label class="remove">{form["DELETE"]} Remove</label></td></tr>'
    )


@register.simple_tag
def editor_row_labels(formset) -> list[str]:
    """The row set's column headings: the labels of a row's visible fields, read off the form
    class rather than a throwaway empty row."""
    return [
        pretty_name(name) if field.label is None else field.label
        for name, field in formset.form.base_fields.items()
        if not field.widget.is_hidden
    ]
