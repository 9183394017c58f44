"""The survey as respondents see it: a private link, one short page at a time.

Every page saves its answers to the draft when submitted, so closing the tab
loses nothing: the same link resumes where the person left off. Pages work
without JavaScript and follow GOV.UK patterns (error summary, back links,
check your answers).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from joinedup.instrument import Instrument, load_instrument
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Organisation
from joinedup.site import ratelimit

from . import closing, services
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


def _visit_or_refusal(
    request: HttpRequest, token: str
) -> tuple[services.SurveyVisit | None, HttpResponse | None]:
    """The visit a token leads to, with rate limits against guessing and flooding.

    Unknown tokens are counted per client address (RATE_LIMIT_SURVEY_MISSES a
    minute): that stops guessing without blocking the many colleagues who may
    answer from behind one office address. Known tokens are counted per
    token (RATE_LIMIT_SURVEY a minute).
    """
    address = ratelimit.client_address(request)
    if ratelimit.count("survey-miss", address) >= settings.RATE_LIMIT_SURVEY_MISSES:
        return None, ratelimit.too_many(request)
    visit = services.find_link(token)
    if visit is None:
        closed = closing.closed_link_round(token_hash(token))
        if closed is not None:  # its invitation was erased at close
            return None, render(
                request, "surveys/survey/closed.html", {"visit": {"round": closed}}, status=410
            )
        ratelimit.hit("survey-miss", address, settings.RATE_LIMIT_SURVEY_MISSES)
        raise Http404("No such survey link")
    if not ratelimit.hit("survey", token_hash(token), settings.RATE_LIMIT_SURVEY):
        return None, ratelimit.too_many(request)
    return visit, None


def survey_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token to its draft; show 'closed' or 'already sent' pages when due."""

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
                return render(request, "surveys/survey/already_sent.html", {"visit": visit})
            return redirect("surveys:start", token=token)
        context = _Context(request, token, visit.draft, load_instrument(visit.round.instrument))
        return view(request, context, **kwargs)

    return wrapper


def _closed(request: HttpRequest, visit: services.SurveyVisit) -> HttpResponse:
    return render(request, "surveys/survey/closed.html", {"visit": visit}, status=410)


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

    def partners(self) -> list[Organisation]:
        return list(
            self.round.partnership.organisations.exclude(pk=self.organisation.pk).order_by("name")
        )

    def chosen_partners(self) -> list[Organisation]:
        chosen = {int(p) for p in self.answers.get("partners", [])}
        return [p for p in self.partners() if p.pk in chosen]

    def pages(self) -> list[str]:
        """URLs of the pages in order, ending with check your answers."""
        urls = [self.url("about")]
        urls += [
            self.url("statements", number=n) for n in range(1, len(self.instrument.scales) + 1)
        ]
        urls.append(self.url("partners"))
        urls += [self.url("partner", partner_id=p.pk) for p in self.chosen_partners()]
        urls.append(self.url("comments"))
        urls.append(self.url("check"))
        return urls

    @property
    def start_url(self) -> str:
        return self.url("start")

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"surveys:{name}", kwargs={"token": self.token, **kwargs})

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
            return redirect(self.url("saved"))
        if self.request.GET.get("change"):
            return redirect(self.url("check"))
        return redirect(self.neighbours(current)[1])

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


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    """What the survey is for, how long it takes, and exactly who sees what."""
    visit, refusal = _visit_or_refusal(request, token)
    if refusal is not None or visit is None:
        return refusal or ratelimit.too_many(request)
    if visit.round.status != RoundStatus.OPEN:
        return _closed(request, visit)
    if visit.invitation is not None and visit.invitation.done:
        return render(request, "surveys/survey/already_sent.html", {"visit": visit})
    if request.method == "POST":
        try:
            draft, personal_token = services.start_draft(visit)
        except services.SurveyError:
            return _closed(request, visit)
        if personal_token is None and draft.answers:
            # Coming back: carry on from the first page still to answer.
            return redirect(resume_url(draft, token))
        target = personal_token or token
        return redirect("surveys:about", token=target)
    partnership = visit.round.partnership
    return render(
        request,
        "surveys/survey/start.html",
        {
            "visit": visit,
            "token": token,
            "partnership": partnership,
            "minutes": ESTIMATED_MINUTES,
            "resuming": visit.draft is not None and bool(visit.draft.answers),
            "is_open_link": visit.open_link is not None,
        },
    )


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
            items = dict(saved) | _offered_answers(form, request.POST)
            services.save_draft(survey.draft, {"items": items})
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
        ratings = {k: v for k, v in survey.answers.get("ratings", {}).items() if int(k) in chosen}
        services.save_draft(survey.draft, {"partners": chosen, "ratings": ratings})
        survey.answers = survey.draft.answers
        if request.GET.get("change"):
            unrated = [p for p in chosen if str(p) not in ratings]
            if unrated:  # newly chosen partners still need rating
                return redirect(survey.url("partner", partner_id=unrated[0]))
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
            rating = dict(saved) | _offered_answers(form, request.POST)
            ratings = dict(survey.answers.get("ratings", {}))
            ratings[str(partner_id)] = rating
            services.save_draft(survey.draft, {"ratings": ratings})
            if request.GET.get("change"):
                unrated = [p for p in chosen if str(p) not in ratings]
                if unrated and not leaving:
                    return redirect(survey.url("partner", partner_id=unrated[0]) + "?change=1")
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
    missing = _unanswered_pages(survey)
    if request.method == "POST" and not missing:
        try:
            services.submit(survey.token)
        except services.SurveyError as error:
            return render(request, "surveys/survey/not_sent.html", {"reason": str(error)})
        request.session["survey_sent"] = survey.round.partnership.name
        return redirect("surveys:done")
    return survey.render(
        "surveys/survey/check.html",
        current,
        {"sections": _summary(survey), "missing": missing, "tried": request.method == "POST"},
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
    partnership_name = request.session.pop("survey_sent", None)
    return render(request, "surveys/survey/done.html", {"partnership_name": partnership_name})


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


def _label(choices: Any, value: Any, dont_know: str) -> str:
    if value == DONT_KNOW:
        return dont_know
    for choice in choices:
        if choice.value == value:
            return str(choice.label)
    return "Not answered"


def _unanswered_pages(survey: _Context) -> list[dict[str, str]]:
    """Pages with a question still to answer, for the check page."""
    missing = []
    items = survey.answers.get("items", {})
    for number, scale in enumerate(survey.instrument.scales, start=1):
        if any(code not in items for code in scale.items):
            missing.append({"text": scale.name, "url": survey.url("statements", number=number)})
    if "partners" not in survey.answers:
        missing.append({"text": "The partners you work with", "url": survey.url("partners")})
    ratings = survey.answers.get("ratings", {})
    questions = ["contact", *survey.instrument.rating_codes]
    for organisation in survey.chosen_partners():
        given = ratings.get(str(organisation.pk), {})
        if any(code not in given for code in questions):
            missing.append(
                {
                    "text": f"Working with {organisation.name}",
                    "url": survey.url("partner", partner_id=organisation.pk),
                }
            )
    return missing


def _summary(survey: _Context) -> list[dict[str, Any]]:
    """Every answer, grouped by page, each with a link to change it."""
    instrument = survey.instrument
    role_labels = {r.code: r.label for r in instrument.roles}
    sections: list[dict[str, Any]] = [
        {
            "title": "About you",
            "rows": [
                {"key": "Organisation", "value": survey.organisation.name, "url": ""},
                {
                    "key": "Role",
                    "value": role_labels.get(survey.answers.get("role", ""), "I'd rather not say"),
                    "url": survey.url("about"),
                },
            ],
        }
    ]
    items = survey.answers.get("items", {})
    texts = {item.code: item.text for item in instrument.items}
    for number, scale in enumerate(instrument.scales, start=1):
        url = survey.url("statements", number=number)
        sections.append(
            {
                "title": scale.name,
                "rows": [
                    {
                        "key": texts[code],
                        "value": _label(
                            instrument.agreement, items.get(code), instrument.agreement_dont_know
                        )
                        if code in items
                        else "Not answered",
                        "url": url,
                    }
                    for code in scale.items
                ],
            }
        )
    chosen = survey.chosen_partners()
    sections.append(
        {
            "title": "Partners you work with",
            "rows": [
                {
                    "key": "Organisations",
                    "value": ", ".join(p.name for p in chosen) or "None",
                    "url": survey.url("partners"),
                }
            ],
        }
    )
    ratings = survey.answers.get("ratings", {})
    for organisation in chosen:
        given = ratings.get(str(organisation.pk), {})
        url = survey.url("partner", partner_id=organisation.pk)
        rows = [
            {
                "key": "How often you work with them",
                "value": _label(instrument.contact, given.get("contact"), "Not answered"),
                "url": url,
            }
        ]
        rows += [
            {
                "key": question.text,
                "value": _label(
                    instrument.rating, given.get(question.code), instrument.rating_dont_know
                )
                if question.code in given
                else "Not answered",
                "url": url,
            }
            for question in instrument.relationship_questions
        ]
        sections.append({"title": f"Working with {organisation.name}", "rows": rows})
    text = survey.answers.get("text", {})
    sections.append(
        {
            "title": "Your comments",
            "rows": [
                {
                    "key": question.text,
                    "value": text.get(question.code) or "No comment",
                    "url": survey.url("comments"),
                }
                for question in instrument.text_questions
            ],
        }
    )
    return sections
