"""A member completes their profile in the browser, photo included."""

import io

import pytest
from PIL import Image

from tests.browser.a11y import assert_accessible
from tests.helpers import make_persona

pytestmark = pytest.mark.browser


def test_a_member_adds_a_photo_and_competences_and_sees_them(page, sign_in, tmp_path):
    member = make_persona("newcomer")
    sign_in(member)
    photo = tmp_path / "portrait.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), "orange").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())

    page.goto("/compte/")
    page.get_by_role("link", name="Modifier mon profil").click()
    page.get_by_label("Photo").set_input_files(photo)
    page.get_by_label("Compétences").fill("Recherche utilisateur, Accessibilité")
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url(f"**{member.get_absolute_url()}")
    assert page.get_by_text("Votre profil est enregistré.").count() == 1
    assert page.get_by_role("link", name="Accessibilité", exact=True).count() == 1
    image = page.locator("img.ruche-avatar")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    assert_accessible(page)

    page.goto("/compte/profil/")
    assert page.get_by_alt_text("Photo actuelle").evaluate("img => img.naturalWidth") == 120
    assert_accessible(page)
