import unicodedata


def fold(text: str) -> str:
    """Lower-cases and strips accents, for accent-insensitive matching ("Hélène" → "helene")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
