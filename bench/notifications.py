"""Notifications: a piece of community news told to 2,000 members as each chose (notify_many),
and 200 chat announcements delivered one by one to a local webhook receiver."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ruche.members.models import Member
from ruche.notifications import deliveries
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Mode, Topic, Transport
from ruche.notifications.models import CategoryPreference, Channel, Delivery, Notification
from ruche.notifications.services import notify_many

MEMBERS = 2000
ANNOUNCEMENTS = 200


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(json.dumps({}).encode())

    def log_message(self, *args):
        pass


def run(bench) -> None:
    Member.objects.bulk_create(
        Member(email=f"membre{n}@bench.example", display_name=f"Membre {n}") for n in range(MEMBERS)
    )
    ids = list(Member.objects.values_list("pk", flat=True))
    CategoryPreference.objects.bulk_create(
        [CategoryPreference(member_id=pk, category="news", mode=Mode.EMAIL) for pk in ids[:200]]
        + [
            CategoryPreference(member_id=pk, category="news", mode=Mode.IN_APP)
            for pk in ids[200:500]
        ]
    )
    context = {"title": "Café des devs", "summary": "Un café.", "proposer": "Inès", "url": "/"}
    with bench.measure(f"news told to {MEMBERS} members as each chose"):
        told = notify_many(Member.objects.all(), "initiatives.new_initiative", context)
    bench.note(
        f"{told} notifications, {Delivery.objects.count()} e-mails queued "
        f"(the {MEMBERS - 500} who keep the digest get nothing now)"
    )
    Notification.objects.all().delete()
    Delivery.objects.all().delete()

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        channel = Channel(name="bench", transport=Transport.WEBHOOK, topics=[Topic.NEW_INITIATIVE])
        channel.set_secret(f"http://127.0.0.1:{server.server_address[1]}/hook")
        channel.save()
        for number in range(ANNOUNCEMENTS):
            announce(topic=Topic.NEW_INITIATIVE, title=f"Initiative {number}", url=f"/i/{number}/")
        pending = list(Delivery.objects.values_list("pk", flat=True))
        with bench.measure(f"{ANNOUNCEMENTS} announcements to a local webhook"):
            sent = sum(deliveries.deliver(pk) for pk in pending)
        bench.note(f"{sent} delivered")
    finally:
        server.shutdown()
        server.server_close()
