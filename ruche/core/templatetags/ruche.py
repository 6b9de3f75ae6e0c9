from django import template
from django.template import Context
from django.utils.safestring import SafeString

from ruche.core.markdown import render_markdown
from ruche.core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: Context, number: int) -> str:
    """`?…&page=N`, keeping the current filters of the list."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + str(params.urlencode())


@register.filter
def markdown(text: str) -> SafeString:
    """Member-written markdown, made safe, with mentions linked to profiles."""
    return render_markdown(text, mentions=registry.mention_resolver)
