"""What every e-mail the site sends has in common."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Text on one line, its runs of spaces single.

    E-mail subjects cannot hold a line break (Django refuses to send them),
    and names and titles typed or pasted by people can contain one.
    """
    return " ".join(text.split())
