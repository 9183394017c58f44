"""Pages for a person's API tokens: list them, create one (shown once), revoke one.

A token's secret is on the page that creates it and nowhere else: it is not
stored, put in the session or sent in a redirect, and that page is marked
not to be stored by the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from joinedup.partnerships.forms import submitted

from . import services
from .forms import TokenForm
from .models import ApiToken


def _api_url() -> str:
    return f"{settings.SITE_URL}/api/v1"


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens/list.html",
        {
            "active": [t for t in tokens if t.is_active],
            "revoked": [t for t in tokens if t.revoked_at is not None],
            "expired": [t for t in tokens if t.has_expired],
            "api_url": _api_url(),
            "longest_days": settings.API_TOKEN_DAYS,
        },
    )


@login_required
def new_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["name"],
            form.cleaned_data["days"] or None,
        )
        response = render(
            request,
            "api/tokens/created.html",
            {"token": token, "secret": secret, "api_url": _api_url()},
        )
        # The only page that ever shows the secret: keep it out of the browser's cache.
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/tokens/new.html", {"form": form})


@login_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Confirm, then revoke. Someone else's token, or an unknown one, is not found."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    if token.has_expired:
        raise Http404("The token has expired")
    if request.method == "POST":
        services.revoke_token(token)
        messages.success(
            request, f"The token “{token.name}” is revoked. Anything still using it will stop."
        )
        return redirect("api:tokens")
    return render(request, "api/tokens/revoke.html", {"token": token})
