from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ruche.accounts.services import api_token_create
from ruche.members.models import Member


class Command(BaseCommand):
    help = (
        "Creates a personal API token for the member with this e-mail address and prints it "
        "(it is shown only once: only its hash is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The member's e-mail address.")
        parser.add_argument(
            "--name", default="Jeton créé en ligne de commande", help="To recognise the token."
        )

    def handle(self, *, email, name, **options):
        member = Member.objects.filter(email__iexact=email.strip()).first()
        if member is None:
            raise CommandError(f"No member has the e-mail address {email!r}.")
        if not member.is_active:
            raise CommandError(
                f"The account of {email!r} is closed (is_active is off): its tokens would not work."
            )
        try:
            _token, secret = api_token_create(actor=member, member=member, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(secret)
        self.stderr.write(
            f"Token « {name} » created for {member}. Keep it now: it cannot be shown again."
        )
