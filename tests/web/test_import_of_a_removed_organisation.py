"""An import whose organisation was removed after the files were read is refused cleanly.

Responses have no database constraint on their organisation (surveys 0016).
`import_files` reads the partnership's organisations and parses the files
before its transaction; an organisation removed in that window (nothing
referred to it yet, so `remove_organisation` allowed it) must stop the
import under the organisations' locks, with a message, never a server error
nor responses that refer to nothing (a round that could never close: its
analysis would find a blank organisation).
"""

from __future__ import annotations

import pytest

from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation
from joinedup.partnerships.services import remove_organisation
from joinedup.surveys import importing
from joinedup.surveys.models import Response

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Age Well Northshire"


def _responses_file() -> importing.Upload:
    instrument = load_instrument()
    header = ["respondent_id", "organisation", "role", *instrument.item_codes]
    role = instrument.roles[0].code
    lines = [",".join(header)] + [
        ",".join([f"p{n}", NAME, role, *("3" for _ in instrument.item_codes)]) for n in range(1, 6)
    ]
    return importing.Upload("responses.csv", ("\n".join(lines) + "\n").encode())


def test_an_organisation_removed_while_the_files_are_read_is_refused_cleanly(
    world, open_round, monkeypatch
) -> None:
    organisation = world.org(NAME)
    ratings = importing._ratings

    def remove_meanwhile(*args, **kwargs):  # after the organisations were read, before storing
        remove_organisation(organisation)  # another facilitator, in another tab
        return ratings(*args, **kwargs)

    monkeypatch.setattr(importing, "_ratings", remove_meanwhile)
    with pytest.raises(importing.ImportRefused):
        importing.import_files(open_round, _responses_file(), None)
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert not Response.objects.exclude(organisation__in=Organisation.objects.all()).exists()
