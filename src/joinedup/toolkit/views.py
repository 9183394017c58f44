"""The toolkit's pages: the public list of tools, each tool's page and downloads, and
the workshop pack made for a facilitator's closed round."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from joinedup.instrument import load_instrument
from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.services import closed_rounds

from . import files
from .catalogue import BY_SLUG, FORMATS, TOOLS
from .document import preview_html, to_pdf
from .round_pack import round_workshop_pack


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "toolkit/index.html", {"tools": TOOLS})


def tool(request: HttpRequest, slug: str) -> HttpResponse:
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such tool")
    instrument = load_instrument()
    document = found.document(instrument)
    return render(
        request,
        "toolkit/tool.html",
        {
            "tool": found,
            "instrument": instrument,
            "preview": preview_html(document),  # a SafeString from our own template
            "downloads": [
                (extension, FORMATS[extension], files.filename(found, extension, instrument.id))
                for extension in found.formats
            ],
            "rounds": _facilitated_rounds(request) if slug == "workshop-pack" else [],
        },
    )


def _facilitated_rounds(request: HttpRequest) -> list[tuple[object, object]]:
    """(partnership, round) for each closed round the signed-in person facilitates."""
    if not request.user.is_authenticated:
        return []
    found = []
    memberships = Membership.objects.filter(user=request.user, role=Role.FACILITATOR)
    for membership in memberships.select_related("partnership").order_by("partnership__name"):
        for survey_round in closed_rounds(membership.partnership):
            found.append((membership.partnership, survey_round))
    return found


def download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    found = BY_SLUG.get(slug)
    if found is None or extension not in found.formats:
        raise Http404("No such download")
    made, _ = files.cached_download(found, extension)
    return _attachment(made.content, made.content_type, made.filename)


@partnership_view(FACILITATOR_ONLY)
def round_pack(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = get_object_or_404(closed_rounds(membership.partnership), pk=round_id)
    content = to_pdf(round_workshop_pack(survey_round))
    name = f"joinedup-workshop-pack-round-{survey_round.pk}.pdf"
    return _attachment(content, FORMATS["pdf"].content_type, name)


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
