from django.tasks import task

from ruche.accounts.links import sign_in_link_send
from ruche.accounts.personal_data import data_export_prepare


@task()
def send_sign_in_link(email: str, next_url: str = "") -> bool:
    return sign_in_link_send(email=email, next_url=next_url) is not None


@task()
def prepare_data_export(member_id: int) -> bool:
    return data_export_prepare(member_id) is not None
