"""The toolkit's privacy promises, played as the insider or outsider who would break them."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from joinedup.surveys import services
from joinedup.surveys.models import Round
from joinedup.toolkit.catalogue import TOOLS

from .closing_steps import submit_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world) -> Round:
    """Police and the Council are their own units; Age Well (2 people) is merged.

    Age Well rates Police low while Police rates Age Well high: a one-sided
    pair that rests on a merged organisation's view.
    """
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    age_well = world.org("Age Well Northshire")
    submit_answers(survey_round, police, 6, answers=(4,), partners=[council, age_well])
    submit_answers(survey_round, council, 6, answers=(4,), partners=[police])
    submit_answers(survey_round, age_well, 2, answers=(1,), partners=[police])
    return services.close_round(survey_round)


def _readable_text(content: bytes, extension: str, tmp_path: Path) -> str:
    if extension == "pdf":
        pdf = tmp_path / "file.pdf"
        pdf.write_bytes(content)
        return subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def test_an_outsider_learns_nothing_of_any_partnership_from_the_toolkit(
    client, world, closed, tmp_path
) -> None:
    """Not signed in, fetch every toolkit page and download: no partnership appears."""
    secrets = ["Northshire", "Southvale", "Age Well", closed.label]
    seen = [client.get("/toolkit/").content.decode()]
    for tool in TOOLS:
        seen.append(client.get(f"/toolkit/{tool.slug}/").content.decode())
        for extension in tool.formats:
            response = client.get(f"/toolkit/{tool.slug}/download.{extension}")
            seen.append(_readable_text(response.content, extension, tmp_path))
    for text in seen:
        for secret in secrets:
            assert secret not in text


def test_a_facilitators_pack_shows_nothing_of_a_merged_organisations_view(
    world, closed, tmp_path
) -> None:
    """Alice prints the pack, looking for the one-sided pair resting on Age Well's two people.

    The core never writes such a flag; a result stored by an older version could
    hold one, so one is planted in the stored result, and the pack must drop it.
    """
    planted = {"type": "asymmetric", "a": "Age Well Northshire", "b": "Northshire Police"}
    closed.result["network"]["flags"].append(planted | {"gap": 1.5})
    closed.save(update_fields=["result"])
    response = world.client(world.alice).get(
        f"/toolkit/workshop-pack/partnerships/{world.partnership.pk}/rounds/{closed.pk}/"
    )
    assert response.status_code == 200
    text = " ".join(_readable_text(response.content, "pdf", tmp_path).split())
    assert "Northshire Police" in text  # the pack does name organisations reported alone
    assert "Age Well" not in text
