"""The editor's form renderer writes exactly the HTML Django's widget templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils.safestring import mark_safe

from postmortems.form_rendering import EditorFormRenderer
from postmortems.forms import PostmortemEditor
from postmortems.models import TimelineEntry
from tests.factories import PostmortemFactory

FAST = EditorFormRenderer()
DJANGO = DjangoTemplates()
HOSTILE = "\"><script>alert('x')</script> & <b>"

WIDGETS = [
    forms.TextInput(attrs={"placeholder": "what happened", "maxlength": 200}),
    forms.NumberInput(attrs={"step": "0.01", "min": 0}),
    forms.URLInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.HiddenInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 4}),
    forms.Select(choices=[("", "(suggested)"), ("page", "Page"), (HOSTILE, HOSTILE)]),
    forms.Select(choices=[("Kinds", [("pr", "PR"), ("alert", "Alert")]), ("other", "Other")]),
    forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]),
]
VALUES = [None, "", "plain", 0, 12, HOSTILE, mark_safe("<i>kept</i>"), True, ["a", "b"]]
ATTRS = [
    {},
    {"id": "id_x", "required": True, "disabled": False},
    {"aria-describedby": HOSTILE, "data-x": None},
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("attrs", ATTRS, ids=repr)
def test_each_widget_renders_as_djangos_template_does(widget, value, attrs):
    fast = widget.render("timeline-0-text", value, attrs, renderer=FAST)
    assert fast == widget.render("timeline-0-text", value, attrs, renderer=DJANGO)


def test_a_hostile_value_is_escaped_in_every_widget():
    for widget in WIDGETS[:7]:
        html = widget.render("text", HOSTILE, {}, renderer=FAST)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html or widget.input_type == "checkbox"


@pytest.mark.parametrize("field_id", [None, "id_title"])
@pytest.mark.parametrize(
    "messages", [[], ["This field is required."], [HOSTILE, "Second"]], ids=len
)
def test_error_lists_render_as_djangos_template_does(field_id, messages):
    errors = ErrorList(messages, renderer=FAST, field_id=field_id)
    assert errors.render() == errors.render(renderer=DJANGO)
    assert str(ErrorList(messages, error_class="nonfield", renderer=FAST)) == str(
        ErrorList(messages, error_class="nonfield", renderer=DJANGO)
    )


def _every_form(editor):
    yield editor.form
    for formset in editor.formsets.values():
        yield formset.management_form
        yield formset.empty_form
        yield from formset.forms


def _assert_same_html(editor):
    compared = 0
    for form in _every_form(editor):
        for field in form:
            fast = str(field) + field.errors.render()
            form.renderer = DJANGO
            reference = str(field) + field.errors.render(renderer=DJANGO)
            form.renderer = FAST
            assert fast == reference, field.html_name
            compared += 1
    return compared


@pytest.mark.django_db
def test_the_editor_of_a_stored_postmortem_renders_as_with_djangos_templates():
    postmortem = PostmortemFactory(what_broke=HOSTILE)
    TimelineEntry.objects.create(postmortem=postmortem, position=9, text=HOSTILE, actor=HOSTILE)
    assert _assert_same_html(PostmortemEditor(instance=postmortem)) > 60


@pytest.mark.django_db
def test_a_submitted_editor_with_errors_renders_as_with_djangos_templates():
    postmortem = PostmortemFactory()
    data = {
        "title": HOSTILE,
        "incident_start": "not a time",
        "impact_users": "many",
        "timeline-TOTAL_FORMS": "2",
        "timeline-INITIAL_FORMS": "0",
        "timeline-0-at": HOSTILE,
        "timeline-0-text": HOSTILE,
        "timeline-1-phase": HOSTILE,
        "lags-TOTAL_FORMS": "1",
        "lags-INITIAL_FORMS": "0",
        "lags-0-minutes": HOSTILE,
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-url": HOSTILE,
        "changes-0-DELETE": "on",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-due": "2026-13-45",
    }
    editor = PostmortemEditor(data, instance=postmortem)
    submission = editor.submission()
    assert submission.problems  # errors are on the fields compared below
    assert _assert_same_html(editor) > 20


@pytest.mark.django_db
def test_the_edit_page_escapes_what_was_typed(author_client, author):
    postmortem = PostmortemFactory(why=HOSTILE)
    postmortem.authors.add(author)
    TimelineEntry.objects.create(postmortem=postmortem, position=9, text=HOSTILE, actor="bob")
    response = author_client.get(reverse("postmortem_edit", args=[postmortem.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    escaped = "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;"
    assert f'value="{escaped}"' in html  # the timeline row's text input
    assert f">\n{escaped}</textarea>" in html  # the Why box


# The row loop the editor's row sets used before `{% editor_row %}`: the tag writes its HTML.
ROW_LOOP = (
    "<thead><tr>{% for field in formset.empty_form.visible_fields %}"
    '{% if field.name != "DELETE" %}<th>{{ field.label }}</th>{% endif %}{% endfor %}'
    "<th></th></tr></thead>"
    "{% for form in formset %}<tr>{% for field in form.visible_fields %}"
    '{% if field.name != "DELETE" %}<td>{{ field }}{% if show_errors %}{{ field.errors }}'
    "{% endif %}</td>{% endif %}{% endfor %}<td>{% for hidden in form.hidden_fields %}"
    '{{ hidden }}{% endfor %}<label class="remove">{{ form.DELETE }} Remove</label></td>'
    "</tr>{% endfor %}"
)
ROW_TAG = (
    "{% load editor_rows %}{% editor_row_labels formset as labels %}<thead><tr>"
    "{% for label in labels %}<th>{{ label }}</th>{% endfor %}<th></th></tr></thead>"
    "{% for form in formset %}{% editor_row form show_errors %}{% endfor %}"
)


def _rows_both_ways(editor, show_errors):
    from django.template import engines

    engine = engines["django"]
    for formset in editor.formsets.values():
        context = {"formset": formset, "show_errors": show_errors}
        yield (
            engine.from_string(ROW_TAG).render(context),
            engine.from_string(ROW_LOOP).render(context),
        )


@pytest.mark.django_db
def test_each_row_set_shows_the_same_rows_headings_and_values_as_the_template_loop():
    postmortem = PostmortemFactory()
    TimelineEntry.objects.create(postmortem=postmortem, position=9, text=HOSTILE, actor=HOSTILE)
    for tag, loop in _rows_both_ways(PostmortemEditor(instance=postmortem), True):
        assert tag == loop


@pytest.mark.django_db
def test_rows_typed_wrong_show_the_same_messages_as_the_template_loop():
    postmortem = PostmortemFactory()
    data = {
        "timeline-TOTAL_FORMS": "1",
        "timeline-INITIAL_FORMS": "0",
        "timeline-0-at": "not a time",
        "timeline-0-text": HOSTILE,
        "lags-TOTAL_FORMS": "1",
        "lags-INITIAL_FORMS": "0",
        "lags-0-minutes": "many",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "commitments-TOTAL_FORMS": "1",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-due": "2026-13-45",
    }
    editor = PostmortemEditor(data, instance=postmortem)
    assert editor.submission().problems
    pairs = list(_rows_both_ways(editor, True))
    assert any("errorlist" in tag for tag, _ in pairs)
    for tag, loop in pairs + list(_rows_both_ways(editor, False)):
        assert tag == loop


@pytest.mark.django_db
@pytest.mark.parametrize("total", [None, "2", "many"], ids=["unbound", "bound", "tampered"])
def test_a_row_sets_counts_render_as_with_djangos_templates(total):
    postmortem = PostmortemFactory()
    data = None
    if total is not None:
        data = {"timeline-TOTAL_FORMS": total, "timeline-INITIAL_FORMS": "0"}
    editor = PostmortemEditor(data, instance=postmortem)
    form = editor.formsets["timeline"].management_form
    fast = str(form)
    form.renderer = DJANGO
    assert fast == str(form)
    assert 'name="timeline-TOTAL_FORMS"' in fast
