from ruche.notifications.transports import http
from ruche.notifications.transports.base import Outgoing, Transport


class WebhookTransport(Transport):
    """A Slack/Mattermost-compatible incoming webhook: `{"text": …}` with markdown links. Such
    webhooks keep no transaction id: the delivery's claim is what sends each message once (its
    key travels in Idempotency-Key for receivers that read it)."""

    def send(self, message: Outgoing) -> None:
        http.send(
            "POST",
            self.channel.webhook_url(),
            payload={"text": message.markdown},
            headers={"Idempotency-Key": message.key},
        )
