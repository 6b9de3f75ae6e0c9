from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ruche.notifications.transports.base import Outgoing, Transport


class EmailTransport(Transport):
    """An HTML e-mail with its text version, through the configured mail server (whose
    connection has its own timeout, see config.env.mailer_from_url).

    Its Message-ID comes from the delivery's key, the same on every attempt: a message sent
    again because its worker died between handing it over and recording it (no mail protocol
    lets a sender know which) is the same message to the receiving systems, which keep one."""

    def send(self, message: Outgoing) -> None:
        domain = urlsplit(settings.BASE_URL).hostname or "localhost"
        headers = {"Message-ID": f"<{message.key}@{domain}>", **message.headers}
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, to=[message.to], headers=headers
        )
        email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        email.send()
