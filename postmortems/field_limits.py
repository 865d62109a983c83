"""The editor's forms may carry many more fields than Django's site-wide 1,000: a 500-row
timeline is about 3,000. The limit is raised for those pages only; every other page keeps it."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.http import HttpResponseBadRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

EDITOR_URL_NAMES = frozenset({"postmortem_new", "postmortem_edit", "postmortem_check"})
# 1,000 rows in each of four row sets, six fields a row, and the page's own fields.
EDITOR_MAX_FIELDS = 25_000


class EditorFieldLimitMiddleware:
    """Before CSRF reads request.POST: parse the editor's urlencoded body with its own limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and self._is_editor(request.path_info)
        ):
            try:
                pairs = parse_qsl(
                    request.body.decode(request.encoding or "utf-8", errors="replace"),
                    keep_blank_values=True,
                    max_num_fields=EDITOR_MAX_FIELDS,
                )
            except ValueError:
                return HttpResponseBadRequest(
                    f"The form sent more than {EDITOR_MAX_FIELDS:,} fields.",
                    content_type="text/plain; charset=utf-8",
                )
            grouped: dict[str, list[str]] = {}
            for key, value in pairs:
                grouped.setdefault(key, []).append(value)
            post = QueryDict(mutable=True)
            # A MultiValueDict keeps each key's values as a list: set them whole, not one
            # appendlist() per field (3,000 of them for a long timeline).
            for key, values in grouped.items():
                post.setlist(key, values)
            post._mutable = False
            request._post, request._files = post, MultiValueDict()
        return self.get_response(request)

    @staticmethod
    def _is_editor(path: str) -> bool:
        try:
            return resolve(path).url_name in EDITOR_URL_NAMES
        except Resolver404:
            return False
