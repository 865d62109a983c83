"""`{% load trackers %}{{ change.reference|tracker_link:change.url }}` → a safe link or text."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html

from commitments.trackers import is_web_url, tracker_url

register = template.Library()


@register.filter
def tracker_link(reference, url=""):
    """An explicit http(s) URL wins; otherwise the reference is resolved against the trackers
    configured in settings. Anything else is shown as escaped text."""
    reference = (reference or "").strip()
    url = (url or "").strip()
    if url and is_web_url(url):
        href = url
    else:
        href = tracker_url(
            reference,
            github_repo_url=settings.HINDSIGHT_GITHUB_REPO_URL,
            jira_base_url=settings.HINDSIGHT_JIRA_BASE_URL,
            gitlab_project_url=getattr(settings, "HINDSIGHT_GITLAB_PROJECT_URL", ""),
        )
    if not href:
        return conditional_escape(reference)
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', href, reference or href)
