"""The demo partnership follows the one-channel rule it teaches."""

from __future__ import annotations

from joinedup.site.demo import seed_demo
from joinedup.surveys.channels import channels_in_use
from joinedup.surveys.models import Channel, RoundStatus


def test_every_demo_organisation_answers_the_open_round_one_way(db) -> None:
    accounts = seed_demo("demo@example.org", "a long demo passphrase")
    open_round = accounts.partnership.rounds.get(status=RoundStatus.OPEN)
    in_use = channels_in_use(open_round)
    assert in_use and all(len(channels) == 1 for channels in in_use.values())
    invited = {pk for pk, channels in in_use.items() if Channel.INVITATION in channels}
    assert len(invited) == 3 == len(accounts.invitation_links)
    assert any(Channel.IMPORT in channels for channels in in_use.values())
