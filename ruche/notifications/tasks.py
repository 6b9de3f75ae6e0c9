from django.tasks import task

from ruche.notifications import services


@task()
def deliver_notification(notification_id: int) -> bool:
    return services.deliver(notification_id)
