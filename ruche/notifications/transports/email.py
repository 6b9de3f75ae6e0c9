from django.core.mail import EmailMultiAlternatives

from ruche.notifications.transports.base import Outgoing, Transport


class EmailTransport(Transport):
    """An HTML e-mail with its text version, through the configured mail server (whose
    connection has its own timeout, see config.env.mailer_from_url)."""

    def send(self, message: Outgoing) -> None:
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.text, to=[message.to], headers=message.headers
        )
        email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        email.send()
