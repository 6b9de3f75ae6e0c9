"""Channel secrets (a Matrix access token, a webhook URL) are stored encrypted with a key derived
from SECRET_KEY; keys derived from SECRET_KEY_FALLBACKS still read what was stored before a
rotation."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(hashlib.sha256(f"ruche.channels:{s}".encode()).digest())
            )
            for s in secrets
        ]
    )


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(value: str) -> str:
    """The clear secret; empty when there is none or it can no longer be read (the keys that
    wrote it are gone): the channel then fails with that reason and can be given it again."""
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return ""
