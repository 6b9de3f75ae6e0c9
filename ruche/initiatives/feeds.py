from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ruche.initiatives.models import Initiative

FEED_SIZE = 30


class NewInitiativesFeed(Feed):
    """Public: only what a visitor may see of an initiative (title, summary, link)."""

    feed_type = Atom1Feed
    title = _("Ruche — nouvelles initiatives")
    subtitle = _("Les initiatives proposées dans la communauté beta.gouv.")
    link = reverse_lazy("initiatives:initiative-list")
    feed_url = reverse_lazy("initiatives:initiative-feed")

    def items(self):
        return Initiative.objects.visible().only("pk", "title", "summary", "created_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are typed html: a summary is text, so it is escaped.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at
