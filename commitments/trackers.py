"""Tracker references (`#123`, `PR #123`, `!45`, `PROJ-123`, a URL) → a link. Pure Python."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_ISSUE = re.compile(r"#(\d+)")
_PULL = re.compile(r"(?:PR|pull request)\s*#?(\d+)", re.IGNORECASE)
_MERGE_REQUEST = re.compile(r"(?:MR\s*!?|!)(\d+)", re.IGNORECASE)
_JIRA_KEY = re.compile(r"[A-Z][A-Z0-9_]+-\d+")


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host: never javascript:, data: or a relative path."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _join(base: str, path: str) -> str | None:
    if not base or not is_web_url(base):
        return None
    return f"{base.rstrip('/')}/{path}"


def tracker_url(
    reference: str, *, github_repo_url: str, jira_base_url: str, gitlab_project_url: str
) -> str | None:
    """The URL a change's reference points to, or None when it names nothing we can link.

    `#123` is a GitHub issue (GitHub redirects to the pull request when it is one), or a
    GitLab issue when only GitLab is configured; `PR #123` a GitHub pull request; `!123` or
    `MR 123` a GitLab merge request; `PROJ-123` a Jira issue. A reference that is itself an
    http(s) URL (GitHub, GitLab, Jira or anything else) is returned as is.
    """
    reference = (reference or "").strip()
    if not reference:
        return None
    if is_web_url(reference):
        return reference
    if match := _PULL.fullmatch(reference):
        return _join(github_repo_url, f"pull/{match[1]}")
    if match := _ISSUE.fullmatch(reference):
        return _join(github_repo_url, f"issues/{match[1]}") or _join(
            gitlab_project_url, f"-/issues/{match[1]}"
        )
    if match := _MERGE_REQUEST.fullmatch(reference):
        return _join(gitlab_project_url, f"-/merge_requests/{match[1]}")
    if _JIRA_KEY.fullmatch(reference):
        return _join(jira_base_url, f"browse/{reference}")
    return None
