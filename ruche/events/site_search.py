"""What the agenda brings to the search across Ruche (/recherche/): coming events whose title or
description holds every word, the soonest first, as the agenda lists them."""

from urllib.parse import urlencode

from django.urls import reverse

from ruche.core.registry import SearchHit, SearchResults
from ruche.events import dates
from ruche.events.models import Event


def events(request, text: str, limit: int) -> SearchResults:
    found = Event.objects.visible_to(request.user).upcoming().matching(text)
    hits = [
        SearchHit(title=event.title, url=event.get_absolute_url(), detail=dates.day(event.start))
        for event in found.order_by("start", "pk")[:limit]
    ]
    more_url = f"{reverse('events:event-list')}?{urlencode({'q': text})}"
    return SearchResults(hits=hits, total=found.count(), more_url=more_url)
