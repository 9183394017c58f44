"""The clean, typed input to the analysis.

A `Dataset` is what every source of answers becomes before it is analysed:
the interchange files (through `interchange`), the web app's database, or the
synthetic generator. It holds numbers, not text: answers are floats with NaN
for "Don't know" or blank, organisations and rounds are integer codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from joinedup.instrument import Instrument

PRESSURE_COLUMNS = ("budget_gap_pct", "demand_growth_pct", "vacancy_rate_pct")


@dataclass
class Dataset:
    """Answers ready for analysis.

    organisations
        One row per organisation, in alphabetical order (case ignored); the
        row position is the organisation's code. Columns `name`, `sector`
        (a sector code or None) and the pressure indicators.
    listed
        True when an organisations file gave the list of members.
    rounds
        Round labels in the order they first appear ("" when there are none).
    respondents
        One row per respondent: `round` (index into `rounds`),
        `respondent_id`, `organisation` (code), `role` (a role code or None),
        one float column per statement (1-5, NaN when missing, as answered:
        reverse-worded items are not yet reversed) and one text column per
        free-text question.
    ratings
        One row per relationship rating: `round`, `respondent` (row position
        in `respondents`), `organisation` and `partner` (codes), `contact`
        (0-4 or NaN) and one float column per relationship question (1-4 or
        NaN).
    """

    instrument: Instrument
    organisations: pd.DataFrame
    listed: bool
    rounds: list[str]
    respondents: pd.DataFrame
    ratings: pd.DataFrame

    @property
    def organisation_names(self) -> list[str]:
        return list(self.organisations["name"])

    def round_subset(self, round_index: int) -> Dataset:
        """The same dataset restricted to one round (respondent codes renumbered)."""
        keep = np.flatnonzero(self.respondents["round"].to_numpy() == round_index)
        respondents = self.respondents.iloc[keep].reset_index(drop=True)
        renumber = np.full(len(self.respondents), -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        rating_mask = self.ratings["round"].to_numpy() == round_index
        ratings = self.ratings.loc[rating_mask].reset_index(drop=True)
        ratings["respondent"] = renumber[ratings["respondent"].to_numpy()]
        return Dataset(
            self.instrument, self.organisations, self.listed, self.rounds, respondents, ratings
        )


def empty_ratings(instrument: Instrument) -> pd.DataFrame:
    """A ratings table with no rows and the right columns."""
    columns: dict[str, pd.Series] = {
        "round": pd.Series(dtype=np.int16),
        "respondent": pd.Series(dtype=np.int64),
        "organisation": pd.Series(dtype=np.int32),
        "partner": pd.Series(dtype=np.int32),
        "contact": pd.Series(dtype=np.float64),
    }
    for code in instrument.rating_codes:
        columns[code] = pd.Series(dtype=np.float64)
    return pd.DataFrame(columns)
