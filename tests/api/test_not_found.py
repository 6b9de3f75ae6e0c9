import pytest


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/members"])
def test_unknown_api_paths_answer_json(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_unknown_pages_keep_the_site_layout(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
