"""The header and footer are rendered once and kept (CACHES["template_fragments"]): what is
kept never carries one member's or one page's parts to another."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _menu(client: Client, path: str = "/") -> str:
    html = client.get(path).content.decode()
    start = html.index('id="fr-navigation"')
    return html[start : html.index("</nav>", start)]


def test_a_member_never_gets_the_animation_team_menu_kept_for_another(animator):
    moderation = reverse("initiatives:moderation")
    team, member, visitor = Client(), Client(), Client()
    team.force_login(animator)
    member.force_login(MemberFactory())

    assert moderation in _menu(team)
    assert moderation not in _menu(member)
    assert reverse("initiatives:need-list") not in _menu(visitor)
    assert moderation in _menu(team)


def test_the_current_page_is_marked_on_each_page(member_client):
    needs = reverse("initiatives:need-list")
    on_home, on_needs = _menu(member_client), _menu(member_client, needs)

    assert on_home.count('aria-current="page"') == 1
    assert f'href="{needs}" aria-current="page"' not in on_home
    assert on_needs.count('aria-current="page"') == 1
    assert f'href="{needs}" aria-current="page"' in on_needs
