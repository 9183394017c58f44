"""The demo partnership: a synthetic partnership with two closed rounds and one open.

`joinedup demo` sets up the database, calls `seed_demo` and serves the site,
so that someone trying Joined Up sees it working with realistic data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import transaction

from joinedup.accounts.models import User
from joinedup.analysis.synth import SynthSpec, generate
from joinedup.outbox.services import outbox_active
from joinedup.partnerships.deletion import delete_partnership
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
from joinedup.surveys import importing, sending, services
from joinedup.surveys.models import Invitation, Round

DEMO_NAME = "Northshire Together (demo)"
ROUND_LABELS = ("Spring 2026", "Autumn 2026", "Spring 2027")


@dataclass
class DemoAccounts:
    partnership: Partnership
    facilitator: User
    invitation_links: list[tuple[str, str, str]]  # email, organisation, link


def _csv(frame: object) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)  # type: ignore[attr-defined]
    return buffer.getvalue().encode("utf-8")


@transaction.atomic
def seed_demo(email: str, password: str, seed: int = 7) -> DemoAccounts:
    """Create (or re-create) the demo partnership and its facilitator."""
    # As any partnership is deleted: its rounds locked first, so that an
    # answer being sent to a demo still being served is deleted with it.
    for earlier in Partnership.objects.filter(name=DEMO_NAME):
        delete_partnership(earlier, earlier.name, by="the demo's set-up")
    facilitator = User.objects.filter(email__iexact=email).first()
    if facilitator is None:
        facilitator = User.objects.create_user(
            email=email, password=password, name="Demo Facilitator", can_create_partnerships=True
        )
    else:
        facilitator.set_password(password)
        facilitator.can_create_partnerships = True
        facilitator.save()
    partnership = Partnership.objects.create(
        name=DEMO_NAME,
        description=(
            "A made-up partnership of councils, NHS bodies, emergency services, colleges and "
            "voluntary organisations in the county of Northshire, with synthetic answers."
        ),
    )
    Membership.objects.create(partnership=partnership, user=facilitator, role=Role.FACILITATOR)
    tables = generate(
        SynthSpec(organisations=12, respondents=160, ratings_per_respondent=4, rounds=3, seed=seed)
    )
    for row in tables["organisations"].itertuples():
        Organisation.objects.create(
            partnership=partnership,
            name=row.organisation,
            sector=row.sector,
            budget_gap_pct=row.budget_gap_pct,
            demand_growth_pct=row.demand_growth_pct,
            vacancy_rate_pct=row.vacancy_rate_pct,
        )
    responses, relationships = tables["responses"], tables["relationships"]
    links: list[tuple[str, str, str]] = []
    for index, label in enumerate(ROUND_LABELS):
        synth_label = f"Round {index + 1}"
        survey_round = services.create_round(partnership, label)
        services.open_round(survey_round)
        these = responses[responses["round"] == synth_label].drop(columns=["round"])
        ratings = relationships[relationships["round"] == synth_label].drop(columns=["round"])
        if index == len(ROUND_LABELS) - 1:  # the open round is about half-way through
            these = these.iloc[::2]
            # One channel per organisation: those whose people are invited
            # below take no imported answers in this round.
            these = these[~these["organisation"].isin(_invited_organisations(partnership))]
            ratings = ratings[ratings["respondent_id"].isin(these["respondent_id"])]
        importing.import_files(
            survey_round,
            importing.Upload("responses.csv", _csv(these)),
            importing.Upload("relationships.csv", _csv(ratings)),
        )
        if index < len(ROUND_LABELS) - 1:
            closed = services.close_round(survey_round, in_worker=False)
            if index == 0:
                _demo_actions(closed, facilitator)
        else:
            links = _demo_invitations(survey_round)
    return DemoAccounts(partnership, facilitator, links)


def _demo_actions(survey_round: Round, facilitator: User) -> None:
    """The plan a facilitator made after the first round: one action per recommendation."""
    from joinedup.actions import services as actions

    for recommendation in survey_round.result["recommendations"] if survey_round.result else []:
        actions.start_from_recommendation(survey_round, recommendation["action"], facilitator)


def _invited_organisations(partnership: Partnership) -> list[str]:
    """The organisations whose people the demo invites privately to the open round."""
    return list(partnership.organisations.order_by("name").values_list("name", flat=True)[:3])


def _demo_invitations(survey_round: Round) -> list[tuple[str, str, str]]:
    names = _invited_organisations(survey_round.partnership)
    organisations = list(survey_round.partnership.organisations.filter(name__in=names))
    organisations.sort(key=lambda organisation: names.index(organisation.name))
    people = [
        (f"demo.respondent{i + 1}@example.org", organisation)
        for i, organisation in enumerate(organisations)
    ]
    # Never e-mail the made-up addresses through a real server; with the
    # outbox, the worker beside the demo "sends" them there.
    ids, _ = services.add_invitations(survey_round, people, send=outbox_active())
    found = Invitation.objects.select_related("organisation").in_bulk(ids)
    created = [found[pk] for pk in ids]
    return [
        (invitation.email, invitation.organisation.name, sending.issue_link(invitation))
        for invitation in created
    ]
