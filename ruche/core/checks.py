from django.conf import settings
from django.core.checks import Error, Tags, register

# New in Django 6.1, not yet in django-stubs.
from django.core.mail import DEFAULT_MAILER_ALIAS  # type: ignore[attr-defined]


@register(Tags.mail, deploy=True)
def check_console_mail_in_production(app_configs: object, **kwargs: object) -> list[Error]:
    """Django's own deploy check knows its console backend, not ours (ruche.core.mail)."""
    backend = settings.MAILERS.get(DEFAULT_MAILER_ALIAS, {}).get("BACKEND")
    if backend != "ruche.core.mail.ConsoleBackend":
        return []
    return [
        Error(
            "Your MAILERS setting uses a development-only email backend (EMAIL_URL=console://): "
            "e-mails are printed, not sent.",
            hint="Set EMAIL_URL to smtp://user:pass@host:port.",
            id="ruche.E001",
        )
    ]
