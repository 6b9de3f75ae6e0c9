"""The production settings plus one bare view, the floor of the HTTP benchmark (bench/http.py):
what Django and gunicorn cost before Ruche does anything."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench._urls"
