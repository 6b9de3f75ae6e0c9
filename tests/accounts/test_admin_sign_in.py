def test_the_admin_sends_visitors_to_the_magic_link_sign_in(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"] == "/connexion/?next=%2Fadmin%2F"


def test_the_admin_has_no_password_form(client, db):
    response = client.post("/admin/login/", {"username": "x", "password": "y"})

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_a_member_who_is_not_staff_is_sent_home_from_the_admin(member_client):
    response = member_client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200


def test_staff_reach_the_admin(client, admin_member):
    client.force_login(admin_member)

    assert client.get("/admin/").status_code == 200
