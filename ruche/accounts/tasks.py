from django.tasks import task

from ruche.accounts.links import sign_in_link_send


@task()
def send_sign_in_link(email: str, next_url: str = "") -> bool:
    return sign_in_link_send(email=email, next_url=next_url) is not None
