"""The read-only API: JSON answers for a personal token, with the same role checks as the pages.

Every endpoint goes through `api_view`, which, in order:
1. refuses any method but GET (405);
2. finds the token in `Authorization: Bearer <token>` (401 when missing,
   unknown, expired or revoked; a session cookie is ignored, so there is no CSRF to
   worry about);
3. counts the request against the token's rate limit (429);
4. runs the view, turning "not found" and "not allowed" into JSON errors.

A person who is not a member of a partnership gets 404 for everything in it,
never 403, so the API does not reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from joinedup.analysis import to_json
from joinedup.partnerships.access import RESULTS_ROLES, membership_for
from joinedup.site import ratelimit

from . import services
from .models import ApiToken
from .openapi import openapi_document

NO_STORE = "private, no-store"


def json_response(body: Any, status: int = 200) -> HttpResponse:
    """JSON that no shared cache keeps and no browser stores."""
    response = HttpResponse(to_json(body), content_type="application/json", status=status)
    response["Cache-Control"] = NO_STORE
    return response


def error(message: str, status: int) -> HttpResponse:
    return json_response({"error": message}, status=status)


def _read_only() -> HttpResponse:
    response = error("This API is read-only: use GET.", 405)
    response["Allow"] = "GET"
    return response


def _unauthorised(message: str, invalid: bool) -> HttpResponse:
    response = error(message, 401)
    # RFC 6750 §3: say which scheme, and whether the token given was the problem.
    challenge = 'Bearer realm="Joined Up"'
    response["WWW-Authenticate"] = challenge + (', error="invalid_token"' if invalid else "")
    return response


def bearer_secret(request: HttpRequest) -> str | None:
    """The token in `Authorization: Bearer <token>`, or None when there is no such header."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view taking (request, token, ...) as described in the module docstring."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            return _read_only()
        secret = bearer_secret(request)
        if not secret:
            return _unauthorised(
                "Send your API token in the header 'Authorization: Bearer <token>'. "
                "You can create one on the API tokens page.",
                invalid=False,
            )
        token = services.authenticate(secret)
        if token is None:
            return _unauthorised(
                "This API token is not recognised, has expired or has been revoked. Create a new "
                "one on the API tokens page.",
                invalid=True,
            )
        limit = settings.RATE_LIMIT_API
        if not ratelimit.hit("api", str(token.pk), limit):
            response = error(
                f"Too many requests: this token may make {limit} a minute. "
                "Wait a minute and try again.",
                429,
            )
            response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
            return response
        try:
            return view(request, token, *args, **kwargs)
        except Http404:
            return error("Not found.", 404)
        except PermissionDenied:
            return error("Your role in this partnership does not allow this.", 403)

    return wrapper


@api_view
def partnerships(request: HttpRequest, token: ApiToken) -> HttpResponse:
    return json_response(services.partnership_list(token.user))


@api_view
def partnership(request: HttpRequest, token: ApiToken, partnership_id: int) -> HttpResponse:
    membership = membership_for(token.user, partnership_id)
    return json_response(services.partnership_detail(membership))


@api_view
def rounds(request: HttpRequest, token: ApiToken, partnership_id: int) -> HttpResponse:
    membership = membership_for(token.user, partnership_id)
    return json_response(services.round_list(membership))


@api_view
def round_result(
    request: HttpRequest, token: ApiToken, partnership_id: int, round_id: int
) -> HttpResponse:
    """The stored joinedup.analysis/1 document; every fetch goes in the download audit log."""
    membership = membership_for(token.user, partnership_id, RESULTS_ROLES)
    survey_round = services.closed_round(membership, round_id)
    if survey_round is None:
        raise Http404("No such round, or it has no result until it closes")
    return json_response(services.take_result(token, survey_round))


@api_view
def not_found(request: HttpRequest, token: ApiToken, path: str = "") -> HttpResponse:
    """Any other address under the API: JSON, not the site's HTML page."""
    return error("Not found.", 404)


@csrf_exempt
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description. Public: it says what the API offers, not what anyone holds."""
    if request.method != "GET":
        return _read_only()
    return json_response(openapi_document())
