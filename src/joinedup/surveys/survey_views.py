"""The survey as respondents see it: a private link, one short page at a time.

Every page saves its answers to the draft when submitted, so closing the tab
loses nothing: the same link resumes where the person left off. Pages work
without JavaScript and follow GOV.UK patterns (error summary, back links,
check your answers).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from joinedup.instrument import Instrument, load_instrument
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Organisation
from joinedup.site import ratelimit

from . import closing, services, visits
from .check_answers import summary, unanswered_pages
from .forms import (
    DONT_KNOW,
    AboutYouForm,
    CommentsForm,
    PartnerRatingForm,
    PartnersForm,
    StatementsForm,
)
from .models import Draft, RoundStatus
from .resume import resume_url
from .tokens import token_hash

ESTIMATED_MINUTES = 15


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int | None = None
) -> HttpResponse:
    """A respondent's page: Jinja2 templates in surveys/jinja2/ (see site/jinja.py)."""
    return django_render(request, template, context, status=status, using="jinja2")


# CSRF_NOTE: respondents' pages take no CSRF token and set no cookie.
# Cross-site request forgery makes a browser send a request carrying
# credentials the browser adds by itself (a session cookie). A respondent has
# none: the only credential is the private link, in the address itself. A
# forged form on another site could only post to a link its author already
# knows, and whoever knows a link can use it directly. So a token would
# protect nothing; without one the survey sets no cookie at all (nothing on a
# shared computer says who answered), and no page makes or checks one.

# The thank-you page's name is signed (not stored): respondents have no session.
DONE_SALT = "joinedup.surveys.done"


def _visit_or_refusal(
    request: HttpRequest,
    token: str,
    more: Callable[[services.SurveyVisit], Sequence[ratelimit.Limit]] | None = None,
) -> tuple[services.SurveyVisit | None, HttpResponse | None]:
    """The visit a token leads to, with rate limits against guessing and flooding.

    A known token is counted per token (RATE_LIMIT_SURVEY a minute), so
    colleagues behind one office address never share a counter: one
    round-trip, sent before the database is asked for the link and read after
    it answers, so that the two waits overlap (the start page, which may add
    an open link's counters, counts after finding the link). An unknown token is counted per client
    address (RATE_LIMIT_SURVEY_MISSES a minute) and for everyone together
    (RATE_LIMIT_SURVEY_MISSES_GLOBAL): past either, unknown links get "too
    many requests" while real links keep working (a second round-trip, only
    for unknown links; their per-token counter, counted in passing, names
    nobody and expires with its window). Tokens are 256 random bits,
    so letting real links through tells a guesser nothing they could use;
    refusing them would let one mistyping colleague block an office.
    """
    if more is None:  # the link's own counter, counted while the database finds the link
        counting = ratelimit.start([ratelimit.Limit("survey", token, settings.RATE_LIMIT_SURVEY)])
        try:
            visit = services.find_link(token)
        finally:
            counted = counting.finish()
    else:
        visit, counted = services.find_link(token), None
    if visit is None:
        closed = closing.closed_link_round(token_hash(token))
        if closed is not None:  # its invitation was erased at close
            return None, render(
                request, "surveys/survey/closed.html", {"visit": {"round": closed}}, status=410
            )
        address = ratelimit.client_address(request)
        within = ratelimit.hit_all(
            [
                ratelimit.Limit("survey-miss", address, settings.RATE_LIMIT_SURVEY_MISSES),
                ratelimit.Limit("survey-miss", "*", settings.RATE_LIMIT_SURVEY_MISSES_GLOBAL),
            ]
        )
        if not all(within):
            return None, ratelimit.too_many(request)
        raise Http404("No such survey link")
    extra = more(visit) if more is not None else ()
    within = counted or ratelimit.hit_all(
        [ratelimit.Limit("survey", token, settings.RATE_LIMIT_SURVEY), *extra]
    )
    if not within[0]:
        return None, ratelimit.too_many(request)
    if not all(within):
        return visit, _burst_refused(request, visit, extra)
    return visit, None


def _burst_refused(
    request: HttpRequest, visit: services.SurveyVisit, limits: Sequence[ratelimit.Limit]
) -> HttpResponse:
    """An open link used too often from one address: a kind page; a count for the facilitator."""
    link = visit.open_link or (services.from_open_link(visit.draft) if visit.draft else None)
    sending = any(limit.scope == "open-submit" for limit in limits)
    if link is not None:
        services.count_open_link_refusal(
            link, "refused_submissions" if sending else "refused_starts"
        )
    response = render(
        request,
        "surveys/survey/busy.html",
        {"sending": sending, "partnership": visit.round.partnership},
        status=429,
    )
    response["Retry-After"] = str(max(limit.window for limit in limits))
    return response


def _open_link_limits(
    request: HttpRequest, limit: int, scope: str, link_id: str, window: int
) -> list[ratelimit.Limit]:
    return [ratelimit.Limit(scope, f"{link_id}:{ratelimit.client_address(request)}", limit, window)]


def survey_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token to its draft; show 'closed' or 'already sent' pages when due."""

    @csrf_exempt  # the link is the credential: see CSRF_NOTE
    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        visit, refusal = _visit_or_refusal(request, token)
        if refusal is not None or visit is None:
            return refusal or ratelimit.too_many(request)
        if visit.round.status != RoundStatus.OPEN:
            return _closed(request, visit)
        if visit.draft is None:
            if visit.invitation is not None and visit.invitation.done:
                return _already_sent(request, visit)
            return _go(_page_url("start", token))
        context = _Context(request, token, visit.draft, load_instrument(visit.round.instrument))
        try:
            return view(request, context, **kwargs)
        except services.SurveyError:  # a save that lost the race with sending: say so kindly
            return _already_sent(request, visit, status=409)

    return wrapper


def _closed(request: HttpRequest, visit: services.SurveyVisit) -> HttpResponse:
    return render(request, "surveys/survey/closed.html", {"visit": visit}, status=410)


def _already_sent(
    request: HttpRequest, visit: services.SurveyVisit, status: int = 200
) -> HttpResponse:
    return render(request, "surveys/survey/already_sent.html", {"visit": visit}, status=status)


# A page's address with a stand-in for the token ("~" never occurs in a token):
# a page links to every other page, and reversing each one was a tenth of its time.
_TOKEN_SLOT = "~token~"


@functools.lru_cache(maxsize=256)
def _url_pattern(name: str, kwargs: tuple[tuple[str, Any], ...]) -> str:
    return reverse(f"surveys:{name}", kwargs={"token": _TOKEN_SLOT, **dict(kwargs)})


def _page_url(name: str, token: str, **kwargs: Any) -> str:
    return _url_pattern(name, tuple(sorted(kwargs.items()))).replace(_TOKEN_SLOT, token)


def _go(url: str) -> HttpResponseRedirect:
    """A redirect to an address already made.

    Django's `redirect()` first tries its argument as a view name, and a
    failed reverse (an exception with a formatted message) cost a tenth of a
    page save.
    """
    return HttpResponseRedirect(url)


class _Context:
    """One request's survey state: the draft, the instrument and the page order."""

    def __init__(self, request: HttpRequest, token: str, draft: Draft, instrument: Instrument):
        self.request = request
        self.token = token
        self.draft = draft
        self.instrument = instrument
        self.round = draft.round
        self.organisation = draft.organisation
        self.answers: dict[str, Any] = draft.answers
        self._partners: list[Organisation] | None = None
        self._pages: tuple[tuple[Any, ...], list[str]] | None = None

    def partners(self) -> list[Organisation]:
        """The other organisations of the partnership (one query a request)."""
        if self._partners is None:
            self._partners = visits.partners_of(self.round.partnership_id, self.organisation.pk)
        return self._partners

    def chosen_partners(self) -> list[Organisation]:
        chosen = {int(p) for p in self.answers.get("partners", [])}
        return [p for p in self.partners() if p.pk in chosen]

    def pages(self) -> list[str]:
        """URLs of the pages in order, ending with check your answers (kept for the request)."""
        chosen = tuple(self.answers.get("partners", []))
        if self._pages is None or self._pages[0] != chosen:
            urls = [self.url("about")]
            urls += [
                self.url("statements", number=n) for n in range(1, len(self.instrument.scales) + 1)
            ]
            urls.append(self.url("partners"))
            # The partners page saves choices in the order it shows them, and only
            # offered ones: their ids give the partner pages without a query.
            urls += [self.url("partner", partner_id=int(p)) for p in chosen]
            urls.append(self.url("comments"))
            urls.append(self.url("check"))
            self._pages = (chosen, urls)
        return self._pages[1]

    @property
    def start_url(self) -> str:
        return self.url("start")

    def url(self, name: str, **kwargs: Any) -> str:
        return _page_url(name, self.token, **kwargs)

    def neighbours(self, current: str) -> tuple[str, str]:
        """The page before (for the back link) and after this one."""
        pages = self.pages()
        if current not in pages:
            return pages[0], pages[0]
        index = pages.index(current)
        back = pages[index - 1] if index > 0 else self.url("start")
        return back, pages[min(index + 1, len(pages) - 1)]

    def after_save(self, current: str) -> HttpResponse:
        if self.request.POST.get("action") == "save-and-leave":
            return _go(self.url("saved"))
        if self.request.GET.get("change"):
            return _go(self.url("check"))
        return _go(self.neighbours(current)[1])

    def render(self, template: str, current: str, extra: dict[str, Any]) -> HttpResponse:
        back, _ = self.neighbours(current)
        if self.request.GET.get("change"):
            back = self.url("check")
        pages = self.pages()
        position = pages.index(current) + 1 if current in pages else 1
        context = {
            "survey": self,
            "round": self.round,
            "partnership": self.round.partnership,
            "organisation": self.organisation,
            "back_url": back,
            "page_number": position,
            "page_count": len(pages),
            "change": bool(self.request.GET.get("change")),
        } | extra
        return render(self.request, template, context)


# ------------------------------------------------------------------ start


@csrf_exempt  # see CSRF_NOTE
@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    """What the survey is for, how long it takes, and exactly who sees what."""

    def starts(visit: services.SurveyVisit) -> list[ratelimit.Limit]:
        """Starting through an open link makes a draft: count starts per link and address."""
        if request.method != "POST" or visit.open_link is None:
            return []
        return _open_link_limits(
            request, settings.RATE_LIMIT_OPEN_STARTS, "open-start", str(visit.open_link.pk), 60
        )

    # Only a POST through an open link adds counters: a GET counts while finding its link.
    visit, refusal = _visit_or_refusal(request, token, starts if request.method == "POST" else None)
    if refusal is not None or visit is None:
        return refusal or ratelimit.too_many(request)
    if visit.round.status != RoundStatus.OPEN:
        return _closed(request, visit)
    if visit.invitation is not None and visit.invitation.done:
        return _already_sent(request, visit)
    if request.method == "POST":
        try:
            draft, personal_token = services.start_draft(visit)
        except services.SurveyError:
            return _closed(request, visit)
        if personal_token is None and draft.answers:
            # Coming back: carry on from the first page still to answer.
            return _go(resume_url(draft, token))
        target = personal_token or token
        return _go(_page_url("about", target))
    partnership = visit.round.partnership
    closes_on = visit.round.closes_on
    return render(
        request,
        "surveys/survey/start.html",
        {
            # A date that has passed is not shown: the survey is still open.
            "closes_on": closes_on if closes_on and closes_on >= timezone.localdate() else None,
            "visit": visit,
            "token": token,
            "partnership": partnership,
            "minutes": ESTIMATED_MINUTES,
            "resuming": visit.draft is not None and bool(visit.draft.answers),
            "is_open_link": visit.open_link is not None,
        },
    )


@csrf_exempt  # see CSRF_NOTE
@never_cache
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """An organisation's shared link: the same start page; starting makes a personal link."""
    return start(request, token)


# ------------------------------------------------------------------ pages


@survey_page
def about(request: HttpRequest, survey: _Context) -> HttpResponse:
    current = survey.url("about")
    initial = {"role": survey.answers.get("role", "")} if "role" in survey.answers else {}
    form = AboutYouForm(
        submitted(request),
        initial=initial,
        instrument=survey.instrument,
    )
    if request.method == "POST" and form.is_valid():
        services.save_draft(survey.draft, {"role": form.cleaned_data["role"]})
        return survey.after_save(current)
    return survey.render("surveys/survey/about.html", current, {"form": form})


@survey_page
def statements(request: HttpRequest, survey: _Context, number: int) -> HttpResponse:
    scales = survey.instrument.scales
    if not 1 <= number <= len(scales):
        raise Http404("No such page")
    scale = scales[number - 1]
    current = survey.url("statements", number=number)
    saved = survey.answers.get("items", {})
    initial = {code: _as_choice(saved[code]) for code in scale.items if code in saved}
    form = StatementsForm(
        submitted(request),
        initial=initial,
        instrument=survey.instrument,
        scale=scale,
    )
    if request.method == "POST":
        leaving = request.POST.get("action") == "save-and-leave"
        if form.is_valid() or leaving:
            services.save_draft(survey.draft, {"items": _offered_answers(form, request.POST)})
            return survey.after_save(current)
    return survey.render(
        "surveys/survey/statements.html",
        current,
        {"form": form, "scale": scale, "number": number, "scale_count": len(scales)},
    )


@survey_page
def partners(request: HttpRequest, survey: _Context) -> HttpResponse:
    current = survey.url("partners")
    options = survey.partners()
    initial = {"partners": [str(p) for p in survey.answers.get("partners", [])]}
    form = PartnersForm(submitted(request), initial=initial, partners=options)
    if request.method == "POST" and form.is_valid():
        chosen = [int(p) for p in form.cleaned_data["partners"]]
        # Ratings of organisations no longer chosen are dropped by save_draft.
        survey.answers = services.save_draft(survey.draft, {"partners": chosen}).answers
        ratings = survey.answers.get("ratings", {})
        if request.GET.get("change"):
            unrated = [p for p in chosen if str(p) not in ratings]
            if unrated:  # newly chosen partners still need rating
                return _go(survey.url("partner", partner_id=unrated[0]))
        return survey.after_save(current)
    return survey.render(
        "surveys/survey/partners.html",
        current,
        {"form": form, "min_tie_raters": survey.round.partnership.min_tie_raters},
    )


@survey_page
def partner(request: HttpRequest, survey: _Context, partner_id: int) -> HttpResponse:
    chosen = {p.pk: p for p in survey.chosen_partners()}
    if partner_id not in chosen:
        raise Http404("This organisation is not one of the partners you chose")
    organisation = chosen[partner_id]
    current = survey.url("partner", partner_id=partner_id)
    saved = survey.answers.get("ratings", {}).get(str(partner_id), {})
    initial = {code: _as_choice(value) for code, value in saved.items()}
    form = PartnerRatingForm(
        submitted(request),
        initial=initial,
        instrument=survey.instrument,
        partner=organisation,
    )
    if request.method == "POST":
        leaving = request.POST.get("action") == "save-and-leave"
        if form.is_valid() or leaving:
            offered = {str(partner_id): _offered_answers(form, request.POST)}
            survey.answers = services.save_draft(survey.draft, {"ratings": offered}).answers
            ratings = survey.answers.get("ratings", {})
            if request.GET.get("change"):
                unrated = [p for p in chosen if str(p) not in ratings]
                if unrated and not leaving:
                    return _go(survey.url("partner", partner_id=unrated[0]) + "?change=1")
            return survey.after_save(current)
    return survey.render(
        "surveys/survey/partner.html", current, {"form": form, "partner": organisation}
    )


@survey_page
def comments(request: HttpRequest, survey: _Context) -> HttpResponse:
    current = survey.url("comments")
    form = CommentsForm(
        submitted(request),
        initial=survey.answers.get("text", {}),
        instrument=survey.instrument,
    )
    if request.method == "POST" and form.is_valid():
        text = {code: form.cleaned_data[code].strip() for code in survey.instrument.text_codes}
        services.save_draft(survey.draft, {"text": text})
        return survey.after_save(current)
    return survey.render(
        "surveys/survey/comments.html",
        current,
        {"form": form, "min_text_group_size": survey.round.partnership.min_text_group_size},
    )


@survey_page
def check(request: HttpRequest, survey: _Context) -> HttpResponse:
    """Check your answers, then send them."""
    current = survey.url("check")
    missing = unanswered_pages(survey)
    if request.method == "POST" and not missing:
        link = services.from_open_link(survey.draft)
        if link is not None:
            # Finished surveys through an open link, per address an hour: generous for an
            # office behind one address, but not for one client sending dozens.
            limits = _open_link_limits(
                request, settings.RATE_LIMIT_OPEN_SUBMITS, "open-submit", str(link.pk), 3600
            )
            if not ratelimit.hit_all(limits)[0]:
                return _burst_refused(
                    request, services.SurveyVisit(survey.round, survey.organisation,
                                                  survey.draft, None, link), limits
                )  # fmt: skip
        try:
            services.submit_draft(survey.draft)
        except services.SurveyError as error:
            return render(request, "surveys/survey/not_sent.html", {"reason": str(error)})
        # No session: the thank-you page gets the partnership's name signed in its address.
        # A plain Signer: unlike signing.dumps, it puts no time in the address.
        signed = signing.Signer(salt=DONE_SALT).sign_object(
            survey.round.partnership.name, compress=True
        )
        return _go(f"{reverse('surveys:done')}?{urlencode({'p': signed})}")
    return survey.render(
        "surveys/survey/check.html",
        current,
        {"sections": summary(survey), "missing": missing, "tried": request.method == "POST"},
    )


@survey_page
def saved(request: HttpRequest, survey: _Context) -> HttpResponse:
    """Answers saved: how to come back."""
    return survey.render(
        "surveys/survey/saved.html",
        survey.url("saved"),
        {"resume_url": request.build_absolute_uri(survey.url("start"))},
    )


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """Confirmation. It carries nothing about the response: there is nothing to link."""
    try:
        partnership_name = signing.Signer(salt=DONE_SALT).unsign_object(request.GET.get("p", ""))
    except signing.BadSignature:
        partnership_name = None
    return render(
        request,
        "surveys/survey/done.html",
        {"partnership_name": partnership_name},
    )


# ---------------------------------------------------------------- helpers


def _offered_answers(form: Any, data: Any) -> dict[str, Any]:
    """The posted answers that are among each field's choices (the rest are left out).

    A page can be saved half-answered ("Save and come back later"), so the form
    may not be valid as a whole; each answer kept must still be one offered.
    """
    answers: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = data.get(name)
        if value is not None and value in {str(choice) for choice, _ in field.choices}:
            answers[name] = DONT_KNOW if value == DONT_KNOW else int(value)
    return answers


def _as_choice(value: Any) -> str:
    return DONT_KNOW if value == DONT_KNOW else str(value)
