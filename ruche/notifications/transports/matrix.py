from urllib.parse import quote

from ruche.notifications.transports import http
from ruche.notifications.transports.base import Outgoing, Transport


class MatrixTransport(Transport):
    """A message in a Matrix room (Tchap) through the client-server API. The transaction id is
    the delivery's own: the homeserver keeps the event it made for it, so a retry of a message
    that did arrive (the answer was lost) posts nothing twice."""

    def send(self, message: Outgoing) -> None:
        homeserver, room, token = self.channel.matrix_credentials()
        url = (
            f"{homeserver.rstrip('/')}/_matrix/client/v3/rooms/{quote(room, safe='')}"
            f"/send/m.room.message/{quote(message.key, safe='')}"
        )
        http.send(
            "PUT",
            url,
            payload={
                # A notice: other bots in the room do not answer it.
                "msgtype": "m.notice",
                "body": message.text,
                "format": "org.matrix.custom.html",
                "formatted_body": message.html,
            },
            headers={"Authorization": f"Bearer {token}"},
        )
