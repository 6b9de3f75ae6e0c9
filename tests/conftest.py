import pytest
from django.tasks.signals import task_finished


@pytest.fixture(autouse=True)
def _task_failures_fail_the_test():
    failures = []

    def on_finished(sender, task_result, **kwargs):
        if task_result.errors:
            failures.append(task_result.errors[-1].traceback)

    task_finished.connect(on_finished)
    yield
    task_finished.disconnect(on_finished)
    assert not failures, "A background task failed:\n" + "\n".join(failures)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def animator(db):
    from tests.factories import MemberFactory

    return MemberFactory(transverse_role="Équipe d’animation")


@pytest.fixture
def admin_member(db):
    from tests.factories import MemberFactory

    return MemberFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in French, the site's language: a request in English (an API client's
    Accept-Language) leaves its language active in the thread, for a next test that calls a
    service directly to inherit."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
