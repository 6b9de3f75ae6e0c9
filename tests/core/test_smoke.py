def test_the_home_page_welcomes_visitors(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Se connecter" in response.text


def test_a_member_sees_the_directory(member_client):
    response = member_client.get("/membres/")
    assert response.status_code == 200
