"""Helpers for the apps' personal-data erasers (see `registry.PersonalData`)."""

from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet


def hand_over(
    queryset: QuerySet[Any],
    field: str,
    placeholder: Model,
    *,
    unique_with: str | tuple[str, ...] | None = None,
) -> int:
    """Gives the rows of `queryset` to `placeholder` (the shared « ancien membre ») by setting
    `field`. When the model allows one row per (`unique_with`, member) — one field or a tuple of
    fields — the rows for which the placeholder already holds one are deleted first: they would
    break that constraint."""
    if unique_with:
        fields = (unique_with,) if isinstance(unique_with, str) else tuple(unique_with)
        held = queryset.model._default_manager.filter(
            **{field: placeholder}, **{name: OuterRef(name) for name in fields}
        )
        queryset.filter(Exists(held)).delete()
    updated: int = queryset.update(**{field: placeholder})
    return updated


def rows(queryset: QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    """The rows of `queryset` as dicts of `fields`, ready for the JSON export."""
    return list(queryset.order_by("pk").values(*fields))
