from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from ruche.core.markdown import render_markdown
from ruche.groups.models import WorkingGroup

FEED_SIZE = 50


class DecisionFeed(Feed):
    """A group's decision log: what was decided, when, why, and the answers' counts."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(WorkingGroup, slug=slug)

    def title(self, group):
        return _("Ruche — décisions du groupe « %(name)s »") % {"name": group.name}

    def link(self, group):
        return group.get_absolute_url()

    def items(self, group):
        return group.decisions.select_related("group", "proposal")[:FEED_SIZE]

    def item_title(self, decision):
        return decision.title

    def item_description(self, decision):
        counts = escape(
            " · ".join(f"{option} : {count}" for option, count in decision.counts.items())
        )
        html = str(render_markdown(decision.rationale))
        return f"{html}<p>{counts}</p>" if counts else html

    def item_link(self, decision):
        return decision.get_absolute_url()

    def item_pubdate(self, decision):
        return decision.created_at

    def item_updateddate(self, decision):
        return decision.created_at
