"""A synthetic partnership, for demonstrations, tests and benchmarks.

Answers are drawn from a latent model, so that the files behave like real
survey data: each organisation has a collaborative climate and a level of
pressure; each respondent's view of each scale is that organisation's level
plus their own disposition and noise; each statement is that view plus
item noise, rounded onto the answer scale. Scales therefore hang together
(Cronbach's alpha around 0.75-0.9) and organisations differ. Relationships
come from a latent trust and value between each pair of organisations, with
some deliberately one-sided and some mutually low-trust pairs. Everything is
drawn from one seeded generator, so a seed always gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from joinedup.instrument import Instrument, load_instrument

PLACES = (
    "Northshire", "Riverside", "Eastmoor", "Westford", "Kingsbridge", "Ashdown", "Millbrook",
    "Harbourside", "Oakfield", "Southvale", "Fernley", "Greyholm", "Marshgate", "Thornbury",
    "Highcross", "Lowick", "Brackenfield", "Stonehaven", "Wyvern", "Elmstead", "Cresswell",
    "Dunmore", "Halden", "Pennington",
)  # fmt: skip

# (sector, name pattern, relative size)
TEMPLATES = (
    ("local_government", "{place} County Council", 8.0),
    ("local_government", "{place} District Council", 3.0),
    ("local_government", "{place} City Council", 6.0),
    ("health", "{place} NHS Foundation Trust", 9.0),
    ("health", "{place} Integrated Care Board", 3.0),
    ("health", "{place} Community Health Services", 4.0),
    ("health", "{place} GP Federation", 1.5),
    ("police", "{place} Police", 6.0),
    ("fire", "{place} Fire and Rescue Service", 2.5),
    ("ambulance", "{place} Ambulance Service", 3.0),
    ("education", "{place} College", 2.0),
    ("education", "{place} Academy Trust", 1.5),
    ("education", "University of {place}", 3.0),
    ("voluntary", "{place} Council for Voluntary Service", 0.6),
    ("voluntary", "Age Well {place}", 0.5),
    ("voluntary", "{place} Food Bank", 0.3),
    ("voluntary", "{place} Carers' Centre", 0.4),
    ("voluntary", "Citizens Advice {place}", 0.6),
    ("housing", "{place} Homes", 1.5),
    ("housing", "{place} Housing Association", 1.2),
    ("other", "{place} Chamber of Commerce", 0.4),
)

# Sector pressure (added to each organisation's strain), on the answer scale.
SECTOR_PRESSURE = {
    "local_government": 0.35, "health": 0.5, "police": 0.3, "fire": 0.0, "ambulance": 0.55,
    "education": 0.1, "voluntary": 0.25, "housing": 0.2, "other": -0.2,
}  # fmt: skip

# Partnership-wide level of each scale on the 1-5 answer scale, and how far
# an organisation's climate (+) and pressure (+) move it.
SCALE_MODEL = {
    "CASE": (3.7, 0.5, -0.1),
    "CHANGE": (3.2, 0.45, -0.2),
    "STRAIN": (3.3, 0.0, 0.7),
    "PLACE": (3.4, 0.4, -0.1),
    "SURVIVAL": (2.9, -0.35, 0.45),
    "TRUST": (3.2, 0.55, -0.15),
    "CONVERSE": (2.9, 0.45, -0.1),
    "RELATE": (3.1, 0.5, -0.1),
    "COMMIT": (3.3, 0.5, -0.2),
}

ROLE_SHARES = {
    "executive": 0.05, "senior_manager": 0.15, "manager": 0.3, "practitioner": 0.4,
    "other": 0.07, "": 0.03,
}  # fmt: skip

IMPORTANT_TEXT = (
    "Hospital discharge delays and the pressure on social care",
    "Shared funding for prevention rather than crisis services",
    "Housing for people leaving hospital and care",
    "Workforce: we are all recruiting from the same small pool of staff",
    "Children's mental health and waiting times",
    "A shared plan for the town centre and community safety",
    "Pooling budgets for the neighbourhood teams",
    "Data sharing between partners so we stop asking people the same questions",
    "Winter pressures across the whole system",
    "Cost of living and its effect on demand for every service",
    "How we involve residents in deciding priorities",
    "Joint commissioning of the voluntary sector",
)
SIDESHOW_TEXT = (
    "Arguing over terms of reference",
    "Long updates that could have been an e-mail",
    "Governance structures and who chairs what",
    "Branding and logos for the partnership",
    "Re-reading papers nobody has had time to read",
    "Reporting numbers that no one acts on",
    "Debating membership of sub-groups",
    "Process for process's sake",
)
OTHER_TEXT = (
    "The partnership has improved a lot in the last year.",
    "Smaller organisations find it hard to keep up with the number of meetings.",
    "We need more honest conversations about money.",
    "Please contact me on 07700 900123 to discuss further.",
    "More detail at www.example.org/partnership-notes",
    "I am happy to help: write to j.smith@example.org",
)


@dataclass(frozen=True)
class SynthSpec:
    """What to generate."""

    organisations: int = 12
    respondents: int = 300
    ratings_per_respondent: int = 4
    rounds: int = 1
    seed: int = 1
    min_group_size: int = 5


def organisation_table(count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Named organisations of several sectors: core anchor bodies first, then others."""
    home = PLACES[0]
    anchors = [0, 3, 7, 8, 9, 10, 13, 18]  # council, trust, police, fire, ambulance, college, CVS
    chosen: list[tuple[str, str, float]] = []
    for index in anchors[: min(count, len(anchors))]:
        sector, pattern, size = TEMPLATES[index]
        chosen.append((pattern.format(place=home), sector, size))
    candidates = [
        (pattern.format(place=place), sector, size)
        for place in PLACES
        for sector, pattern, size in TEMPLATES
    ]
    taken = {name for name, _, _ in chosen}
    remaining = [c for c in candidates if c[0] not in taken]
    extra = count - len(chosen)
    if extra > len(remaining):
        raise ValueError(f"synth can make at most {len(chosen) + len(remaining)} organisations")
    if extra > 0:
        picks = rng.choice(len(remaining), size=extra, replace=False)
        chosen += [remaining[i] for i in sorted(picks)]
    return pd.DataFrame(chosen, columns=["organisation", "sector", "size"])


def allocate_respondents(
    sizes: np.ndarray, total: int, k: int, rng: np.random.Generator
) -> np.ndarray:
    """Respondents per organisation: roughly by size, with a few below k."""
    count = len(sizes)
    small = max(1, round(count * 0.15)) if count >= 4 else 0
    order = np.argsort(sizes, kind="stable")
    result = np.zeros(count, dtype=np.int64)
    small_orgs = order[:small]
    result[small_orgs] = rng.integers(1, max(2, k), size=small)
    rest = order[small:]
    remaining = total - int(result.sum())
    floor = min(k, max(0, remaining // max(1, len(rest))))
    result[rest] = floor
    remaining -= floor * len(rest)
    if remaining > 0 and len(rest):
        weights = sizes[rest] * rng.lognormal(0.0, 0.4, size=len(rest))
        result[rest] += rng.multinomial(remaining, weights / weights.sum())
    return result


def _answers(latent: np.ndarray, noise: float, top: int, rng: np.random.Generator) -> np.ndarray:
    drawn = np.rint(latent + rng.normal(0.0, noise, size=latent.shape))
    return np.clip(drawn, 1, top).astype(np.int8)


def generate(spec: SynthSpec, instrument: Instrument | None = None) -> dict[str, pd.DataFrame]:
    """The three interchange tables of a synthetic partnership."""
    instrument = instrument or load_instrument()
    rng = np.random.default_rng(spec.seed)
    orgs = organisation_table(spec.organisations, rng)
    n_orgs = len(orgs)
    climate = rng.normal(0.0, 0.45, size=n_orgs)
    pressure = rng.normal(0.0, 0.3, size=n_orgs) + orgs["sector"].map(SECTOR_PRESSURE).to_numpy()
    reputation = rng.normal(0.0, 0.2, size=n_orgs) + 0.25 * climate
    contribution = rng.normal(0.0, 0.3, size=n_orgs) + 0.15 * np.log(orgs["size"].to_numpy())

    # Pair effects, with some one-sided and some mutually low-trust pairs.
    pair = rng.normal(0.0, 0.15, size=(n_orgs, n_orgs))
    n_special = max(1, n_orgs // 6)
    for _ in range(n_special):
        a, b = rng.choice(n_orgs, size=2, replace=False)
        pair[a, b] += 1.0
        pair[b, a] -= 1.0
        c, d = rng.choice(n_orgs, size=2, replace=False)
        pair[c, d] -= 1.1
        pair[d, c] -= 1.1

    responses: list[pd.DataFrame] = []
    relationships: list[pd.DataFrame] = []
    labels = [f"Round {r + 1}" for r in range(spec.rounds)]
    for r, label in enumerate(labels):
        # Partnerships that keep working at it improve a little each round.
        drift = 0.12 * r
        counts = allocate_respondents(
            orgs["size"].to_numpy(), spec.respondents, spec.min_group_size, rng
        )
        org_of = np.repeat(np.arange(n_orgs), counts)
        people = _respondents(spec, instrument, rng, org_of, climate + drift, pressure, orgs)
        people.insert(0, "respondent_id", [f"R{r + 1}-{i + 1:06d}" for i in range(len(org_of))])
        if spec.rounds > 1:
            people.insert(3, "round", label)
        responses.append(people)
        ties = _relationships(
            spec, instrument, rng, org_of, people["respondent_id"].to_numpy(),
            orgs, reputation + drift, contribution, pair + 0.15 * climate[:, None],
        )  # fmt: skip
        if spec.rounds > 1:
            ties.insert(len(ties.columns), "round", label)
        relationships.append(ties)

    budget = np.round(np.clip(4 + 6 * pressure + rng.normal(0, 1.5, n_orgs), 0, None), 1)
    demand = np.round(2 + 5 * pressure + rng.normal(0, 1.5, n_orgs), 1)
    vacancy = np.round(np.clip(6 + 5 * pressure + rng.normal(0, 2, n_orgs), 0, None), 1)
    organisations = pd.DataFrame(
        {
            "organisation": orgs["organisation"],
            "sector": orgs["sector"],
            "budget_gap_pct": budget,
            "demand_growth_pct": demand,
            "vacancy_rate_pct": vacancy,
        }
    )
    return {
        "responses": pd.concat(responses, ignore_index=True),
        "relationships": pd.concat(relationships, ignore_index=True),
        "organisations": organisations,
    }


def _respondents(
    spec: SynthSpec,
    instrument: Instrument,
    rng: np.random.Generator,
    org_of: np.ndarray,
    climate: np.ndarray,
    pressure: np.ndarray,
    orgs: pd.DataFrame,
) -> pd.DataFrame:
    count = len(org_of)
    role_names = list(ROLE_SHARES)
    shares = np.array(list(ROLE_SHARES.values()))
    roles = np.array(role_names, dtype=object)[
        rng.choice(len(role_names), size=count, p=shares / shares.sum())
    ]
    disposition = rng.normal(0.0, 0.45, size=count) + np.where(roles == "executive", 0.25, 0.0)
    columns: dict[str, object] = {
        "organisation": orgs["organisation"].to_numpy()[org_of],
        "role": roles,
    }
    for scale in instrument.scales:
        level, climate_weight, pressure_weight = SCALE_MODEL[scale.code]
        view = (
            level
            + climate_weight * climate[org_of]
            + pressure_weight * pressure[org_of]
            + disposition * (1 if scale.higher_is_better else -0.5)
            + rng.normal(0.0, 0.5, size=count)
        )
        for code in scale.items:
            item = next(i for i in instrument.items if i.code == code)
            answer = _answers(view, 0.6, 5, rng)
            if item.reverse:
                answer = (6 - answer).astype(np.int8)
            text = answer.astype(str).astype(object)
            missing = rng.random(count)
            text[missing < 0.03] = ""
            text[(missing >= 0.03) & (missing < 0.035)] = "DK"
            columns[code] = text
    for code, bank, rate in (
        ("TEXT_IMPORTANT", IMPORTANT_TEXT, 0.35),
        ("TEXT_SIDESHOW", SIDESHOW_TEXT, 0.25),
        ("TEXT_OTHER", OTHER_TEXT, 0.06),
    ):
        pick = np.array(bank, dtype=object)[rng.integers(0, len(bank), size=count)]
        pick[rng.random(count) >= rate] = ""
        columns[code] = pick
    return pd.DataFrame(columns)


def _relationships(
    spec: SynthSpec,
    instrument: Instrument,
    rng: np.random.Generator,
    org_of: np.ndarray,
    ids: np.ndarray,
    orgs: pd.DataFrame,
    reputation: np.ndarray,
    contribution: np.ndarray,
    pair: np.ndarray,
) -> pd.DataFrame:
    n_orgs = len(orgs)
    per = min(spec.ratings_per_respondent, n_orgs - 1)
    columns = ["respondent_id", "organisation", "partner", "contact", *instrument.rating_codes]
    if per <= 0 or len(org_of) == 0:
        return pd.DataFrame(columns=columns)
    weight = np.log(np.sqrt(orgs["size"].to_numpy()))
    raters: list[np.ndarray] = []
    partners: list[np.ndarray] = []
    # Choose partners by Gumbel top-k (sampling without replacement), a block at a time.
    for start in range(0, len(org_of), 20_000):
        block = org_of[start : start + 20_000]
        keys = weight[None, :] + rng.gumbel(size=(len(block), n_orgs))
        keys[np.arange(len(block)), block] = -np.inf
        top = np.argpartition(-keys, per - 1, axis=1)[:, :per]
        raters.append(np.repeat(np.arange(start, start + len(block)), per))
        partners.append(top.ravel())
    rater = np.concatenate(raters)
    partner = np.concatenate(partners)
    rater_org = org_of[rater]
    size = len(rater)
    trust_level = 2.95 + reputation[partner] + pair[rater_org, partner]
    value_level = 2.5 + contribution[partner] + 0.5 * pair[rater_org, partner]
    closeness = pair[rater_org, partner] + rng.normal(0.0, 0.8, size=size)
    contact = np.clip(np.rint(2.2 + closeness), 0, 4).astype(np.int8)
    frame: dict[str, object] = {
        "respondent_id": ids[rater],
        "organisation": orgs["organisation"].to_numpy()[rater_org],
        "partner": orgs["organisation"].to_numpy()[partner],
        "contact": contact,
    }
    for question in instrument.relationship_questions:
        level = trust_level if question.composite == "trust" else value_level
        answer = _answers(level, 0.5, 4, rng)
        column = pd.array(answer, dtype="Int8")
        column[rng.random(size) < 0.05] = pd.NA
        frame[question.code] = column
    return pd.DataFrame(frame)


def write(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write the tables as UTF-8 CSV files in `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("responses", "relationships", "organisations"):
        path = folder / f"{name}.csv"
        tables[name].to_csv(path, index=False)
        paths.append(path)
    return paths
