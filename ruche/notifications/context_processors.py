from ruche.notifications.models import Notification


def unread(request):
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.in_app()
        .unread()
        .filter(member=request.user)
        .count()
    }
