"""The thresholds an analysis runs with (SPEC §3 and §4)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .problems import SettingsError

LOWEST_GROUP_SIZE = 3
# A tie's ratings from one person would be that person's answers (SPEC §4.4).
LOWEST_TIE_RATERS = 2
WHY_LOWEST = {
    "min_group_size": ": a smaller group's scores could be traced to the people in it",
    "min_tie_raters": ": one person's ratings of a partner would be shown as their own answers",
}


@dataclass(frozen=True)
class Settings:
    """Disclosure thresholds.

    min_group_size
        k: the fewest respondents an organisation (or role) needs to be
        reported on its own, and the fewest answers behind any score shown.
        Never below 3.
    min_tie_raters
        The fewest raters of one organisation behind a relationship tie's
        trust and value before they are shown (default 3, never below 2;
        and never for an organisation merged into "Other organisations").
    min_text_group_size
        The fewest respondents who answered a free-text question before its
        answers are shown.
    """

    min_group_size: int = 5
    min_tie_raters: int = 3
    min_text_group_size: int = 10

    def __post_init__(self) -> None:
        for name, lowest in (
            ("min_group_size", LOWEST_GROUP_SIZE),
            ("min_tie_raters", LOWEST_TIE_RATERS),
            ("min_text_group_size", 1),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"{name} must be a whole number, not {value!r}")
            if value < lowest:
                raise SettingsError(
                    f"{name} must be at least {lowest}, not {value}{WHY_LOWEST.get(name, '')}"
                )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
