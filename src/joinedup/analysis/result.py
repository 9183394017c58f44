"""Assembling the `joinedup.analysis/1` result (SPEC §5).

`analyse` is the one function the command line, the web app and the API call
to turn a `Dataset` into the result document. Numbers are unrounded; a figure
that is suppressed or missing is None (JSON null), with a `reason`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from joinedup.instrument import Instrument

from . import scoring
from .dataset import Dataset
from .network import relationship_network
from .published import PublishedRound
from .recommendations import recommend
from .reliability import cronbach_alpha, icc
from .round_figures import RoundFigures
from .settings import Settings
from .text import text_section
from .trend import compare_rounds

SCHEMA = "joinedup.analysis/1"
# The revision of SPEC whose rules this code follows. The schema has no place
# for it, so the web app keeps it beside each stored result (Round.result_revision).
SPEC_REVISION = 2
OTHER_ORGANISATIONS = "Other organisations"
OTHER_ROLES = "Other roles"
PERCEPTION_GAP = 20.0

Progress = Callable[[str], None]


def score_round(
    people: pd.DataFrame, names: list[str], instrument: Instrument, k: int, label: str | None = None
) -> RoundFigures:
    """Scale scores, reporting units and unit and partnership figures of one round."""
    values = scoring.item_values(people[instrument.item_codes].to_numpy(np.float64), instrument)
    scores = scoring.respondent_scores(values, instrument)
    org_of = people["organisation"].to_numpy()
    sizes = np.bincount(org_of, minlength=len(names)) if len(org_of) else np.zeros(len(names), int)
    units = scoring.reporting_units(
        list(zip(names, sizes.tolist(), strict=True)), k, OTHER_ORGANISATIONS
    )
    unit_of = scoring.unit_codes(names, units)[org_of] if len(org_of) else np.zeros(0, np.int64)
    section = _groups_section(units, unit_of, scores, values, instrument, k, with_rwg=True)
    partnership = _partnership_section(section.pop("_figures"), units, instrument)
    return RoundFigures(label, units, unit_of, scores, values, section["units"], partnership)


def analyse(
    dataset: Dataset,
    settings: Settings | None = None,
    progress: Progress | None = None,
    previous: Dataset | PublishedRound | None = None,
) -> dict[str, Any]:
    """Analyse the last round of `dataset` and return the result document.

    The trend compares it with the round before it in `dataset`, or with the
    last round of `previous` when that is given (`joinedup analyse --previous`),
    or with what an earlier round published (a `PublishedRound`: the web app).
    """
    settings = settings or Settings()
    step = progress or (lambda _: None)
    current = len(dataset.rounds) - 1
    this_round = dataset.round_subset(current) if len(dataset.rounds) > 1 else dataset
    instrument = dataset.instrument
    names = dataset.organisation_names
    k = settings.min_group_size

    step("Scoring scales")
    people = this_round.respondents
    figures = score_round(people, names, instrument, k, dataset.rounds[current] or None)
    units, unit_of, scores, values = figures.units, figures.unit_of, figures.scores, figures.values

    step("Roles")
    roles = people["role"].to_numpy(dtype=object)
    role_codes = [r.code for r in instrument.roles]
    role_of = _role_codes(roles, role_codes)
    role_sizes = np.bincount(role_of[role_of >= 0], minlength=len(role_codes))
    role_units = scoring.reporting_units(
        list(zip(role_codes, role_sizes.tolist(), strict=True)), k, OTHER_ROLES
    )
    role_unit_of = np.where(role_of >= 0, scoring.unit_codes(role_codes, role_units)[role_of], -1)
    role_section = _groups_section(
        role_units, role_unit_of, scores, values, instrument, k, with_rwg=False, key="roles"
    )
    role_section.pop("_figures")
    partnership = figures.partnership

    step("Reliability")
    reliability = _reliability_section(values, scores, unit_of, instrument, bool(units))

    step("Relationship network")
    # Only an organisation that is its own reporting unit gives tie ratings (SPEC §4.4).
    index_of = {name: i for i, name in enumerate(names)}
    own_unit = np.zeros(len(names), dtype=bool)
    own_unit[[index_of[u.members[0]] for u in units if not u.combined]] = True
    network = relationship_network(
        this_round.ratings, names, instrument, settings.min_tie_raters, own_unit
    )

    gaps = _perception_gaps(units, figures.unit_entries, network["members"])
    text = text_section(
        {code: people[code].to_numpy(dtype=object) for code in instrument.text_codes},
        instrument.text_codes,
        settings.min_text_group_size,
        results=bool(units),
        keep=list(names),
    )

    step("Trend")
    before = _previous_figures(dataset, previous, instrument, k)
    trend = compare_rounds(figures, before, instrument) if before and units else None

    result: dict[str, Any] = {
        "schema": SCHEMA,
        "instrument": instrument.id,
        "settings": settings.as_dict(),
        "round": dataset.rounds[current] or None,
        "respondents": len(people),
        "partnership": partnership,
        "units": figures.unit_entries,
        "roles": role_section["units"],
        "reliability": reliability,
        "network": network,
        "perception_gaps": gaps,
        "recommendations": [],
        "text": text,
        "trend": trend,
        # Kept so that rendering the result again later colours the network by
        # sector without the organisations file (`joinedup report`).
        "sectors": _sectors(dataset),
    }
    if not units:
        result["partnership"]["reason"] = "too_few_respondents"
    step("Recommendations")
    result["recommendations"], result["strengths"] = recommend(result, instrument)
    return result


def _sectors(dataset: Dataset) -> dict[str, str]:
    """Each organisation's sector code, for the organisations that have one."""
    frame = dataset.organisations
    return {
        str(name): str(sector)
        for name, sector in zip(frame["name"], frame["sector"], strict=True)
        if isinstance(sector, str) and sector
    }


def _previous_figures(
    dataset: Dataset, previous: Dataset | PublishedRound | None, instrument: Instrument, k: int
) -> RoundFigures | None:
    """The figures of the round to compare with, if there is one."""
    if isinstance(previous, PublishedRound):
        # As published at its close: its own units and figures, not re-analysed at today's k.
        values, scores = previous.scores(instrument)
        return RoundFigures(
            previous.label,
            previous.units(),
            np.asarray(previous.unit_of, dtype=np.int64),
            scores,
            values,
            previous.result["units"],
            previous.result["partnership"],
        )
    if previous is not None:
        last = len(previous.rounds) - 1
        source = previous.round_subset(last) if len(previous.rounds) > 1 else previous
        label = previous.rounds[last] or "previous"
        return score_round(source.respondents, previous.organisation_names, instrument, k, label)
    if len(dataset.rounds) < 2:
        return None
    index = len(dataset.rounds) - 2
    return score_round(
        dataset.round_subset(index).respondents,
        dataset.organisation_names,
        instrument,
        k,
        dataset.rounds[index],
    )


def _role_codes(roles: np.ndarray, role_codes: Sequence[str]) -> np.ndarray:
    lookup = {code: index for index, code in enumerate(role_codes)}
    codes, uniques = _factorize(roles)
    mapped = np.array([lookup.get(u, -1) for u in uniques] + [-1], dtype=np.int64)
    return mapped[codes]


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes), list(uniques)


def _groups_section(
    units: list[scoring.Unit],
    unit_of: np.ndarray,
    scores: np.ndarray,
    values: np.ndarray,
    instrument: Instrument,
    k: int,
    with_rwg: bool,
    key: str = "organisations",
) -> dict[str, Any]:
    figures = scoring.unit_scores(scores, unit_of, len(units), k)
    agreement = scoring.rwg(values, unit_of, len(units), instrument) if with_rwg else None
    entries = []
    for u, unit in enumerate(units):
        scales: dict[str, dict[str, Any]] = {}
        level_scores: dict[str, float] = {}
        for s, scale in enumerate(instrument.scales):
            shown = bool(figures.shown[u, s])
            score = float(figures.score[u, s]) if shown else math.nan
            level_scores[scale.code] = score
            entry: dict[str, Any] = {
                "score": _number(score),
                "ci_low": _number(figures.ci_low[u, s]),
                "ci_high": _number(figures.ci_high[u, s]),
                "n": int(figures.n[u, s]),
                "band": scoring.band(score, scale.higher_is_better),
            }
            if agreement is not None:
                entry["rwg"] = _number(agreement[u, s]) if shown else None
            entry["reason"] = None if shown else "too_few_answers"
            scales[scale.code] = entry
        entries.append(
            {"name": unit.name, key: list(unit.members), "combined": unit.combined, "n": unit.n}
            | {"scales": scales}
            | _level_labels(level_scores)
        )
    return {"units": entries, "_figures": figures}


def _level_labels(scores: dict[str, float]) -> dict[str, Any]:
    momentum, strain = scoring.momentum_and_strain(scores)
    return {
        "momentum": _number(momentum),
        "strain": _number(strain),
        "position": scoring.position(momentum, strain),
        "alignment": scoring.alignment(
            scores.get("CASE", math.nan), scores.get("CHANGE", math.nan)
        ),
    }


def _partnership_section(
    figures: scoring.UnitScores, units: list[scoring.Unit], instrument: Instrument
) -> dict[str, Any]:
    scales: dict[str, dict[str, Any]] = {}
    level_scores: dict[str, float] = {}
    for s, scale in enumerate(instrument.scales):
        overall = scoring.partnership_scale(figures, s)
        level_scores[scale.code] = overall.score
        scales[scale.code] = {
            "score": _number(overall.score),
            "ci_low": _number(overall.ci_low),
            "ci_high": _number(overall.ci_high),
            "n": overall.n,
            "n_units": len(overall.units),
            "units": [units[i].name for i in overall.units],
            "band": scoring.band(overall.score, scale.higher_is_better),
            "reason": None if overall.units else "too_few_answers",
        }
    return {"scales": scales} | _level_labels(level_scores) | {"reason": None}


def _reliability_section(
    values: np.ndarray,
    scores: np.ndarray,
    unit_of: np.ndarray,
    instrument: Instrument,
    results: bool,
) -> dict[str, Any]:
    """Alpha and ICCs per scale; all null when there are no results at all (SPEC §3.5)."""
    codes = instrument.item_codes
    section: dict[str, Any] = {}
    if not results:
        empty = {"alpha": None, "n_complete": 0, "icc1": None, "icc2": None}
        return {scale.code: dict(empty) for scale in instrument.scales}
    for s, scale in enumerate(instrument.scales):
        alpha, n_complete = cronbach_alpha(values[:, [codes.index(c) for c in scale.items]])
        icc1, icc2 = icc(scores[:, s], unit_of)
        section[scale.code] = {
            "alpha": _number(alpha),
            "n_complete": n_complete,
            "icc1": _number(icc1),
            "icc2": _number(icc2),
        }
    return section


def _perception_gaps(
    units: list[scoring.Unit], unit_entries: list[dict[str, Any]], members: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """COMMIT as an organisation sees itself, against the value partners see (SPEC §4.8)."""
    received = {m["organisation"]: m["value_received"] for m in members}
    gaps = []
    for unit, entry in zip(units, unit_entries, strict=True):
        if unit.combined:
            continue
        name = unit.members[0]
        self_commit = entry["scales"]["COMMIT"]["score"]
        value = received.get(name)
        gap = None if self_commit is None or value is None else self_commit - value
        gaps.append(
            {
                "organisation": name,
                "self_commit": self_commit,
                "value_received": value,
                "gap": gap,
                "flagged": gap is not None and scoring.at_least(abs(gap), PERCEPTION_GAP),
            }
        )
    return gaps


def _number(value: float | np.floating[Any] | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def to_json(result: dict[str, Any], indent: int | None = None) -> str:
    """The result as JSON text; refuses NaN so a missing figure is always null."""
    return json.dumps(result, indent=indent, ensure_ascii=False, allow_nan=False)
