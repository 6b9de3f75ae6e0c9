from django.core.mail import EmailMessage
from django.core.mail.backends import console


class ConsoleBackend(console.EmailBackend):
    """E-mail printed in the terminal as a person reads it (EMAIL_URL=console://, the default of
    `make run`). Django's own console backend prints the encoded message, where quoted-printable
    cuts long lines with "=": a sign-in link copied from there no longer works."""

    def write_message(self, message: EmailMessage) -> None:
        attachments = [getattr(a, "filename", None) or a[0] for a in message.attachments]
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            *([f"Attachments: {', '.join(attachments)}"] if attachments else []),
            "",
            message.body.rstrip("\n"),
            "-" * 79,
            "",
        ]
        self.stream.write("\n".join(lines))
