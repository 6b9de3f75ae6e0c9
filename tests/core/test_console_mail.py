"""`make run` prints e-mails in the terminal (EMAIL_URL=console://): what is printed there must
work when copied, as a newcomer trying Ruche on their machine would do."""

import io
import re

from django.core.mail import EmailMessage

from ruche.core.mail import ConsoleBackend


def test_a_sign_in_link_printed_in_the_terminal_works_when_copied(
    settings, client, member, django_capture_on_commit_callbacks
):
    stream = io.StringIO()
    settings.MAILERS = {
        "default": {"BACKEND": "ruche.core.mail.ConsoleBackend", "OPTIONS": {"stream": stream}}
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/connexion/", {"email": member.email})

    printed = stream.getvalue()
    assert f"To: {member.email}" in printed
    assert "Subject: [Ruche] Votre lien de connexion" in printed
    assert "Pour vous connecter à Ruche" in printed  # readable, not quoted-printable
    path = re.search(r"^http://127\.0\.0\.1:8000(/connexion/lien/\S+/)$", printed, re.M)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "Se connecter" in page.text


def test_long_lines_accents_and_attachments_are_printed_as_they_are():
    stream = io.StringIO()
    url = "https://ruche.example/" + "x" * 120
    message = EmailMessage("Invitation à l’apéro", f"Été : {url}\n", to=["a@example.org"])
    message.attach("apero.ics", "BEGIN:VCALENDAR", "text/calendar")

    ConsoleBackend(stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert "Subject: Invitation à l’apéro" in printed
    assert f"Été : {url}\n" in printed
    assert "Attachments: apero.ics" in printed


def test_the_link_sent_page_says_where_to_find_a_printed_link(settings, client, db):
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": "ruche.core.mail.ConsoleBackend"}}
    assert "ils s’affichent dans le terminal" in client.get("/connexion/envoye/").text

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    assert "terminal" not in client.get("/connexion/envoye/").text
