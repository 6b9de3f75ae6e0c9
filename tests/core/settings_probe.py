"""Run by tests in a subprocess with the environment they choose: prints, as JSON, the settings
named in PROBE_SETTINGS (comma-separated), as that environment makes them (settings are read
from the environment once per process)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

names = os.environ["PROBE_SETTINGS"].split(",")
print(json.dumps({name: getattr(settings, name) for name in names}))
