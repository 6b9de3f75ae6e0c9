"""Error pages keep the site's layout (header, footer, skip links) and say what to do next."""

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults


def test_an_unknown_address_gets_a_page_in_the_site_layout(member_client):
    response = member_client.get("/membres/999999/")
    assert response.status_code == 404
    page = response.text
    assert "<h1>Page introuvable</h1>" in page
    assert 'href="#content"' in page
    assert 'class="fr-header"' in page
    assert "Mon compte" in page  # still signed in, with the whole navigation


def test_a_visitor_gets_the_same_not_found_page(client, db):
    response = client.get("/connexion/lien/x/inconnu/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Se connecter" in response.text


def test_a_refusal_says_why(rf: RequestFactory, member):
    request = rf.get("/")
    request.user = member
    response = defaults.permission_denied(
        request, PermissionDenied("Seul·e le porteur·se peut changer le statut.")
    )
    assert response.status_code == 403
    assert "Seul·e le porteur·se peut changer le statut." in response.content.decode()


def test_a_server_error_page_renders_without_any_context(rf: RequestFactory):
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "<h1>Erreur inattendue</h1>" in page
    assert page.count("<h1") == 1
