"""Colours for charts: colour-blind-safe, and never the only way a thing is told apart.

The hues are Okabe & Ito's palette ("Color Universal Design", 2008), chosen
so that people with any common form of colour blindness can tell them apart.
Every colour that carries meaning is paired with a label, a letter, a shape
or a pattern, and text on a coloured fill uses whichever of near-black and
white gives the higher contrast (WCAG 2.2, at least 4.5:1).
"""

from __future__ import annotations

from .svg import INK

# Okabe & Ito (2008).
BLACK = "#000000"
ORANGE = "#e69f00"
SKY_BLUE = "#56b4e9"
BLUISH_GREEN = "#009e73"
YELLOW = "#f0e442"
BLUE = "#0072b2"
VERMILLION = "#d55e00"
REDDISH_PURPLE = "#cc79a7"
GREY = "#8c8c8c"

# Bands run from concern (orange) through developing (light blue) to strength
# (dark blue): the blue-orange contrast survives every common colour-vision
# deficiency, and in greyscale print the three are light, pale and dark.
BAND_FILL = {"strength": BLUE, "developing": "#a3d3f0", "concern": ORANGE}
BAND_OUTLINE = {"strength": "#00507d", "developing": "#3d7fa8", "concern": "#8a5f00"}
SUPPRESSED_FILL = "#f3f2f1"
SUPPRESSED_LINE = "#b1b4b6"

# Trust on a tie, in the same three steps as the bands: 75 or more, 50 to 74, below 50.
TRUST_LEVELS = (
    (80.0, "High trust (75 or more)"),
    (60.0, "Some trust (50 to 74)"),
    (30.0, "Low trust (below 50)"),
)
FLAG_COLOUR = "#882255"  # wine (Tol), distinct from every trust colour; 9.6:1 on white
HIDDEN_TIE = "#9a9a9a"

# Pale fills behind the zones of the position and alignment maps; all text
# drawn on them is near-black (above 15:1).
ZONE_FILL = {
    "tipping_point": "#e1f1ea",
    "tipping_and_breaking": "#fbf3d3",
    "breaking_point": "#fbe3d3",
    "holding_pattern": "#eeeeee",
    "aligned": "#cfe6f4",
    "emerging": "#e6f2f9",
    "collaborate_without_changing": "#fbf0d9",
    "changing_alone": "#f1e4ec",
    "not_ready": "#eeeeee",
}

UNIT_COLOUR = BLUE
PARTNERSHIP_COLOUR = INK

# Sectors: a colour and a letter each, so the letter alone tells them apart.
SECTOR_STYLE: dict[str, tuple[str, str]] = {
    "local_government": (BLUE, "L"),
    "health": (BLUISH_GREEN, "H"),
    "police": (SKY_BLUE, "P"),
    "fire": (VERMILLION, "F"),
    "ambulance": (YELLOW, "A"),
    "education": (REDDISH_PURPLE, "E"),
    "voluntary": (ORANGE, "V"),
    "housing": ("#6b4c9a", "R"),  # R for residential: H is health
    "other": ("#bdbdbd", "O"),
}
UNKNOWN_SECTOR = ("#ffffff", "?")  # a sector not given, or not one of ours


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(background: str) -> str:
    """Near-black or white, whichever reads better on `background`."""
    return INK if contrast(INK, background) >= contrast("#ffffff", background) else "#ffffff"


def trust_style(trust: float, dense: bool = False) -> tuple[str, float, float]:
    """Colour, line width and opacity of a tie with this trust.

    Higher trust is bluer and thicker. In a dense map, high and some trust
    are faded so that low trust stands out.
    """
    if trust >= 75:
        return (BLUE, 1.6, 0.4) if dense else (BLUE, 2.4, 0.8)
    if trust >= 50:
        return (GREY, 1.0, 0.3) if dense else (GREY, 1.5, 0.7)
    return VERMILLION, 1.2, 0.9
