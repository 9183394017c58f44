"""Plain-English words for the codes in the result (positions, alignment, bands)."""

from __future__ import annotations

POSITIONS = {
    "tipping_point": "At a tipping point",
    "tipping_and_breaking": "At a tipping point and a breaking point at once",
    "breaking_point": "At a breaking point",
    "holding_pattern": "In a holding pattern",
}

POSITION_SENTENCES = {
    "tipping_point": (
        "Momentum is strong and strain is contained: working together is close to becoming "
        "how this partnership works."
    ),
    "tipping_and_breaking": (
        "Momentum is strong, but so is the strain on organisations: the partnership could tip "
        "either way."
    ),
    "breaking_point": (
        "Strain is high and momentum is weak: organisations are at risk of protecting "
        "themselves rather than working together."
    ),
    "holding_pattern": (
        "Neither momentum nor strain is high: the partnership is ticking over, not moving."
    ),
}

ALIGNMENTS = {
    "aligned": "The stars align: a strong case for collaboration and readiness to change",
    "emerging": "Emerging: a case for collaboration and some readiness to change",
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
