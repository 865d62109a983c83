"""Refuse query strings no page can use: a NUL byte cannot be stored or searched in PostgreSQL."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


class RefuseNulInQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest(
                    f"The address's {key.replace(chr(0), '')!r} parameter holds a NUL character: "
                    "remove it and try again.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
