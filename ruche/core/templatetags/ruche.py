from django import template

from ruche.core.markdown import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """`?…&page=N`, keeping the current filters of the list."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def markdown(text: str):
    return render_markdown(text)
