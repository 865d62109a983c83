"""`{{ title|display_title }}`: the postmortem title rule, for pages that hold a title but not
the postmortem (the quarterly review's members)."""

from django import template

from postmortems.models import display_title

register = template.Library()
register.filter("display_title", display_title)
