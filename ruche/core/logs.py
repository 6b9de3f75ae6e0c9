"""Log lines: one JSON object per line in production (LOG_FORMAT=json), and the id of the
request under way on every line written while it is served.

Loaded by the LOGGING setting before the apps are ready: nothing here may import a model.
"""

import contextvars
import datetime
import json
import logging

from django.conf import settings
from django.http import HttpRequest

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_request_id", default=None
)

# What a request line (ruche.core.middleware.RequestLogMiddleware) adds to the record.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "member_id")
UNMATCHED = "<unmatched>"


def path_template(request: HttpRequest) -> str:
    """The route the request matched (`/membres/<int:pk>/`), never the address itself: an
    address may carry a sign-in or calendar token. Static files are named as they are."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route is not None:
        return "/" + str(match.route)
    if request.path.startswith(settings.STATIC_URL):
        return str(request.path)
    return UNMATCHED


class RequestContextFilter(logging.Filter):
    """Gives every record the id of the request being served, and keeps raw addresses out
    of Django's own request records (« Internal Server Error: /connexion/lien/… »)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple) and record.args:
            raw = {request.path, request.path.encode("unicode_escape").decode("ascii")}
            template = path_template(request)
            record.args = tuple(template if arg in raw else arg for arg in record.args)
        return True


class RaisedOnly(logging.Filter):
    """Django logs every 4xx and 5xx response; a refused form or /readyz answering 503 is
    no error, and the request line has their status. What raised an exception stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is not None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
