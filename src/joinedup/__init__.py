"""Joined Up: is a public-sector partnership at a tipping point or a breaking point?"""

__version__ = "0.1.0"
