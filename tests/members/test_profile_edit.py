import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ruche.members import services
from ruche.members.models import Competence, Member
from tests.factories import MemberFactory

URL = "/compte/profil/"


def valid(**changes):
    data = {
        "display_name": "Sacha Moreau",
        "domaine": "developpement",
        "role": "Développeur back-end",
        "competences_text": "Django, Facilitation",
        "bio": "Je code.",
        "github": "sachamoreau",
        "link": "",
        "interests": "vélo, open data",
        "languages": "français, anglais",
    }
    return {**data, **changes}


def png(size=(10, 10)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), content_type="image/png")


def test_the_form_shows_what_i_said_before(member_client, member):
    member.competences.set([Competence.objects.create(name="Django")])
    page = member_client.get(URL).text
    assert f'value="{member.display_name}"' in page
    assert 'value="Django"' in page


def test_i_save_my_profile_and_see_it(member_client, member):
    response = member_client.post(URL, valid(), follow=True)
    assert response.redirect_chain[-1][0] == member.get_absolute_url()
    assert "Votre profil est enregistré." in response.text
    member.refresh_from_db()
    assert member.display_name == "Sacha Moreau"
    assert member.interests == ["vélo", "open data"]
    assert member.languages == ["français", "anglais"]
    assert sorted(c.name for c in member.competences.all()) == ["Django", "Facilitation"]
    assert "Facilitation" in response.text


def test_competences_are_shared_whatever_their_case_and_duplicates_dropped(member_client, member):
    Competence.objects.create(name="Django")
    member_client.post(URL, valid(competences_text="django, Django , , facilitation"))
    assert sorted(c.name for c in member.competences.all()) == ["Django", "facilitation"]
    assert Competence.objects.filter(name__iexact="django").count() == 1


def test_removing_every_competence_empties_the_list(member_client, member):
    member.competences.set([Competence.objects.create(name="Django")])
    member_client.post(URL, valid(competences_text=""))
    assert list(member.competences.all()) == []


def test_a_github_address_is_reduced_to_the_handle(member_client, member):
    member_client.post(URL, valid(github="https://github.com/octocat/"))
    member.refresh_from_db()
    assert member.github == "octocat"


def test_a_new_search_name_finds_me(member_client, member):
    member_client.post(URL, valid(display_name="Hélène Aubry"))
    assert Member.objects.search("helene aubry").get() == member


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "Ce champ est obligatoire."),
        ({"display_name": "x" * 151}, "display_name", "au plus 150 caractères"),
        ({"domaine": "astronaute"}, "domaine", "Sélectionnez un choix valide"),
        ({"github": "pas un identifiant!"}, "github", "que des lettres, chiffres et tirets"),
        ({"link": "pas-une-adresse"}, "link", "Saisissez une URL valide."),
        ({"competences_text": "x, " * 334}, "competences_text", "1000 au plus"),
        ({"competences_text": "Django, " + "x" * 101}, "competences_text", "100 caractères"),
        ({"interests": "vélo\x00"}, "interests", "Le caractère nul n’est pas autorisé."),
    ],
)
def test_a_mistake_is_explained_in_french_and_nothing_is_saved(
    member_client, member, changes, field, message
):
    before = member.display_name
    member.competences.set([Competence.objects.create(name="Ancienne")])
    response = member_client.post(URL, valid(**changes))
    assert response.status_code == 400
    page = response.text
    assert "Le formulaire contient des erreurs" in page
    assert f'href="#id_{field}"' in page  # the summary leads to the field
    assert message in page
    member.refresh_from_db()
    assert member.display_name == before
    assert [c.name for c in member.competences.all()] == ["Ancienne"]
    assert not Competence.objects.filter(name="Django").exists()
    # What was typed is kept, so nothing needs typing again.
    if field != "display_name":
        assert 'value="Sacha Moreau"' in page


def test_the_header_keeps_my_saved_name_when_the_form_is_refused(member_client, member):
    response = member_client.post(URL, valid(display_name="Nouveau Nom", github="!!"))
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.display_name != "Nouveau Nom"


def test_an_avatar_is_saved_and_shown_to_members(member_client, member, client):
    member_client.post(URL, {**valid(), "avatar": png()})
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/")
    page = member_client.get(member.get_absolute_url()).text
    src = re.search(r'src="(/membres/\d+/photo/[^"]*)"', page).group(1)
    photo = member_client.get(src)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (10, 10)
    client.logout()
    assert client.get(src).status_code == 302  # visitors do not see members' faces


def test_a_member_without_photo_has_none_to_serve(member_client, member):
    assert member_client.get(f"/membres/{member.pk}/photo/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused(member_client, member):
    text = SimpleUploadedFile("cv.png", b"not an image", content_type="image/png")
    response = member_client.post(URL, {**valid(), "avatar": text})
    assert response.status_code == 400
    assert "Téléversez une image valide" in response.text
    member.refresh_from_db()
    assert not member.avatar


def test_an_image_over_2_mb_is_refused(member_client, member, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    big = SimpleUploadedFile("big.png", png().read() + b"\0" * (2 * 1024 * 1024), "image/png")
    response = member_client.post(URL, {**valid(), "avatar": big})
    assert response.status_code == 400
    assert "L’image dépasse 2 Mo" in response.text


def test_i_cannot_change_what_is_not_mine_to_say(member_client, member):
    other = MemberFactory()
    member_client.post(
        URL,
        valid(email=other.email, is_staff="on", transverse_role="Équipe", pk=other.pk, id=other.pk),
    )
    member.refresh_from_db()
    other.refresh_from_db()
    assert member.display_name == "Sacha Moreau"
    assert other.display_name != "Sacha Moreau"
    assert not member.is_staff
    assert member.transverse_role == ""
    assert member.email != other.email


def test_the_service_refuses_to_edit_someone_else(member):
    other = MemberFactory()
    with pytest.raises(PermissionDenied, match="votre propre profil"):
        services.member_profile_update(
            actor=member, member=other, fields={"display_name": "Piraté"}, competences=[]
        )
    other.refresh_from_db()
    assert other.display_name != "Piraté"


def test_an_admin_may_correct_a_profile(admin_member, member):
    services.member_profile_update(
        actor=admin_member, member=member, fields={"role": "Coach"}, competences=["Agilité"]
    )
    member.refresh_from_db()
    assert member.role == "Coach"
    assert [c.name for c in member.competences.all()] == ["Agilité"]


def test_the_photo_field_is_a_dsfr_upload_for_jpeg_or_png(member_client):
    page = member_client.get(URL).text
    assert 'class="fr-upload-group' in page
    assert 'class="fr-upload"' in page
    assert 'accept="image/jpeg,image/png"' in page


def test_a_gif_is_refused_as_the_help_text_says(member_client, member):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    gif = SimpleUploadedFile("a.gif", buffer.getvalue(), content_type="image/gif")
    response = member_client.post(URL, {**valid(), "avatar": gif})
    assert response.status_code == 400
    assert "Choisissez une image JPEG ou PNG (ce fichier est au format GIF)" in response.text


def test_i_remove_my_photo(member_client, member):
    member_client.post(URL, {**valid(), "avatar": png()})
    page = member_client.get(URL).text
    assert "Photo actuelle" in page
    assert "Retirer ma photo" in page
    member_client.post(URL, {**valid(), "avatar-clear": "on"})
    member.refresh_from_db()
    assert not member.avatar
