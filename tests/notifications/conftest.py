import pytest
from django.conf import settings

from tests.notifications.synapse import Synapse, synapse_python
from tests.servers import free_port


@pytest.fixture(scope="session")
def synapse(tmp_path_factory):
    """One Synapse for the whole session, with a bot and its room."""
    python = synapse_python(settings.BASE_DIR / "var")
    server = Synapse(python, tmp_path_factory.mktemp("synapse"), free_port())
    server.startup_seconds = server.start()
    server.bot_token = server.register("ruche-bot")
    server.room = server.create_room(server.bot_token)
    yield server
    server.stop()
