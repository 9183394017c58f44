"""Plain-English words for the codes in the result (positions, alignment, bands).

Also the one name of each figure that is not a scale. The partnership's
"momentum" and "strain" are averages of several scales, and one of those
scales is itself called "Strain on our organisation"; so the two averages
are called "Momentum towards a tipping point" and "Pull towards a breaking
point" everywhere (page, PDF, workbook, CSV notes), and never just "strain".
"""

from __future__ import annotations

MOMENTUM = "Momentum towards a tipping point"
MOMENTUM_SHORT = "Momentum"
PULL = "Pull towards a breaking point"
PULL_SHORT = "Pull to breaking point"

# What each of the two averages is made of, in words (scale names are the
# instrument's; these say which scales and why they belong together).
MOMENTUM_MEANING = (
    "the average of five scales that carry a partnership forward: the case for "
    "collaboration, trust, the right conversations, the right relationships and bringing "
    "the organisation to bear"
)
PULL_MEANING = (
    "the average of the two scales that pull a partnership apart: strain on organisations "
    "and self-preservation"
)

POSITIONS = {
    "tipping_point": "At a tipping point",
    "tipping_and_breaking": "Poised to tip either way",
    "breaking_point": "At a breaking point",
    "holding_pattern": "In a holding pattern",
}

POSITION_SENTENCES = {
    "tipping_point": (
        "Momentum is strong and the pull towards a breaking point is weak: working together "
        "is close to becoming how this partnership works."
    ),
    "tipping_and_breaking": (
        "Momentum is strong, but so is the pull towards a breaking point: the partnership "
        "could tip either way."
    ),
    "breaking_point": (
        "The pull towards a breaking point is strong and momentum is weak: organisations are "
        "at risk of protecting themselves rather than working together."
    ),
    "holding_pattern": (
        "Neither momentum nor the pull towards a breaking point is strong: the partnership is "
        "ticking over, not moving."
    ),
}

ALIGNMENTS = {
    "aligned": "The stars align: a strong case for collaboration and readiness to change",
    "emerging": "Getting there: a case for collaboration and some readiness to change",
    "collaborate_without_changing": "Wants to collaborate without changing itself",
    "changing_alone": "Ready to change, but not convinced of the case for collaboration",
    "not_ready": "Not yet ready: neither the case nor the readiness to change is there",
}

BANDS = {"strength": "Strength", "developing": "Developing", "concern": "Concern"}

FLAGS = {
    "asymmetric": "One-sided trust",
    "mutual_low_trust": "Low trust both ways",
    "isolate": "Not connected",
}

# Whether a move on the momentum and pull map is for the better, in words.
DIRECTIONS = {
    "better": "better than last round",
    "worse": "worse than last round",
    "mixed": "mixed since last round",
    "same": "about the same as last round",
}

# How charts name each zone of the two maps, and how their descriptions say
# that a unit is in it ("3 are at a tipping point").
ZONE_NAMES = {
    "tipping_point": "Tipping point",
    "tipping_and_breaking": "Poised to tip either way",
    "breaking_point": "Breaking point",
    "holding_pattern": "Holding pattern",
    "aligned": "The stars align",
    "emerging": "Getting there",
    "collaborate_without_changing": "Collaborate without changing",
    "changing_alone": "Changing alone",
    "not_ready": "Not ready",
}
ZONE_PHRASES = {
    "tipping_point": "at a tipping point",
    "tipping_and_breaking": "poised to tip either way",
    "breaking_point": "at a breaking point",
    "holding_pattern": "in a holding pattern",
    "aligned": "where the stars align",
    "emerging": "getting there",
    "collaborate_without_changing": "collaborating without changing",
    "changing_alone": "changing alone",
    "not_ready": "not ready",
}
# What puts a partnership in each zone of the momentum and pull map.
POSITION_NOTES = {
    "tipping_point": "strong momentum, weak pull to breaking point",
    "tipping_and_breaking": "strong momentum, strong pull to breaking point",
    "breaking_point": "strong pull to breaking point, weak momentum",
    "holding_pattern": "weak momentum, weak pull to breaking point",
}
