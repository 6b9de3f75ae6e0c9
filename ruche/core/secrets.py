"""Secrets handed to people (sign-in links, API tokens, calendar feeds, speaker answers): only
their hash is stored, so a copy of the database opens nothing."""

import hashlib
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
