"""Secret links: a random 256-bit token in the link, only its SHA-256 hash stored."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    """A new random token, safe to put in a URL."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The hash stored in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
