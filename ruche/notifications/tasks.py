from django.tasks import task

from ruche.notifications import deliveries


@task()
def deliver_message(delivery_id: int) -> bool:
    return deliveries.deliver(delivery_id)
