"""The moderation journal in words: who did what to which content, with a link to it. The log
keeps targets by type and id (it outlives them), so each page of it fetches its targets in one
query per type, whatever the number of entries."""

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.initiatives.enums import ModerationActionKind
from ruche.initiatives.models import BudgetRequest, Comment, Initiative, Need, Report

SENTENCES = {
    ModerationActionKind.INITIATIVE_HIDDEN: gettext_lazy(
        "{actor} a masqué l’initiative « {target} »."
    ),
    ModerationActionKind.INITIATIVE_RESTORED: gettext_lazy(
        "{actor} a rétabli l’initiative « {target} »."
    ),
    ModerationActionKind.NEED_HIDDEN: gettext_lazy("{actor} a masqué le besoin « {target} »."),
    ModerationActionKind.NEED_RESTORED: gettext_lazy("{actor} a rétabli le besoin « {target} »."),
    ModerationActionKind.COMMENT_HIDDEN: gettext_lazy(
        "{actor} a masqué un commentaire de {author} sur « {target} »."
    ),
    ModerationActionKind.COMMENT_RESTORED: gettext_lazy(
        "{actor} a rétabli un commentaire de {author} sur « {target} »."
    ),
    ModerationActionKind.BUDGET_APPROVED: gettext_lazy(
        "{actor} a accordé le budget de {amount} demandé pour « {target} »."
    ),
    ModerationActionKind.BUDGET_REFUSED: gettext_lazy(
        "{actor} a refusé le budget de {amount} demandé pour « {target} »."
    ),
    ModerationActionKind.REPORT_DISMISSED: gettext_lazy(
        "{actor} a classé sans suite le signalement de {author} sur « {target} »."
    ),
}

# target_type of a log entry → how to fetch its targets in one query.
_TARGETS = {
    "initiative": lambda ids: Initiative.objects.filter(pk__in=ids),
    "need": lambda ids: Need.objects.filter(pk__in=ids),
    "comment": lambda ids: Comment.objects.filter(pk__in=ids).select_related(
        "author", "initiative", "need"
    ),
    "budget_request": lambda ids: BudgetRequest.objects.filter(pk__in=ids).select_related(
        "initiative"
    ),
    "report": lambda ids: Report.objects.filter(pk__in=ids).select_related(
        "reporter", "initiative", "need", "comment__initiative", "comment__need"
    ),
}


def _person(member) -> str:
    return member.display_name if member is not None else _("un·e membre parti·e")


def _link(url: str, title: str):
    return format_html('<a href="{}">{}</a>', url, title)


def _parts(target_type: str, target) -> dict:
    """What the sentence of an entry says of its target."""
    if target_type in ("initiative", "need"):
        return {"target": _link(target.get_absolute_url(), target.title)}
    if target_type == "comment":
        return {
            "target": _link(target.get_absolute_url(), target.subject.title),
            "author": _person(target.author),
        }
    if target_type == "budget_request":
        url = f"{target.initiative.get_absolute_url()}#budget"
        return {
            "target": _link(url, target.initiative.title),
            "amount": f"{floatformat(target.amount, '-2g')} €",
        }
    reported = target.target
    title = reported.subject.title if target.target_type == "comment" else reported.title
    return {"target": _link(reported.get_absolute_url(), title), "author": _person(target.reporter)}


def describe(entries) -> list:
    """The entries (ModerationAction, with `actor` selected), each given a `sentence`."""
    entries = list(entries)
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in _TARGETS:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    found = {
        target_type: {target.pk: target for target in _TARGETS[target_type](ids)}
        for target_type, ids in wanted.items()
    }
    for entry in entries:
        target = found.get(entry.target_type, {}).get(entry.target_id)
        sentence = SENTENCES.get(entry.action)
        actor = _person(entry.actor)
        if target is None:
            entry.sentence = format_html(
                _("{actor} : {action} (contenu supprimé depuis)."), actor=actor, action=entry.label
            )
        elif sentence is None:
            entry.sentence = format_html(_("{actor} : {action}."), actor=actor, action=entry.label)
        else:
            entry.sentence = format_html(
                str(sentence), actor=actor, **_parts(entry.target_type, target)
            )
    return entries
