"""Every page the accessibility crawl visits (signed out and as each demo persona) is valid
HTML for the Nu HTML Checker: no error at all. htmx is written in its valid form, data-hx-*."""

import pytest
from django.conf import settings

from tests.core.vnu import vnu_errors, vnu_jar
from tests.helpers import FORM_PAGES, PERSONA_KEYS, build_community, crawl

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_every_crawled_page_is_valid_html(client, tmp_path):
    jar = vnu_jar(settings.BASE_DIR / "var")
    community = build_community()
    files, where = [], {}
    for persona in [None, *PERSONA_KEYS]:
        client.logout()
        if persona is not None:
            client.force_login(community.personas[persona])
        also = FORM_PAGES if persona is not None else ()
        for crawled in crawl(client, also=also):
            if not crawled.is_html:
                continue
            path = tmp_path / f"{len(files):04d}.html"
            path.write_bytes(crawled.response.content)
            files.append(path)
            where[f"file:{path}"] = f"{crawled.url} (as {persona or 'a visitor'})"
    assert len(files) > 40

    errors = [
        f"{where.get(error.get('url'), error.get('url'))}:{error.get('lastLine')}: "
        f"{error.get('message')}\n    {error.get('extract', '').strip()[:160]}"
        for error in vnu_errors(jar, files)
    ]
    assert not errors, "Invalid HTML:\n" + "\n".join(errors)


def test_the_checker_finds_an_error(tmp_path):
    """Guards the check itself: a run that reported nothing would pass every page."""
    jar = vnu_jar(settings.BASE_DIR / "var")
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><div aria-labelledby="x" hx-get="/">t</div></body></html>'
    )
    messages = [error["message"] for error in vnu_errors(jar, [page])]
    assert any("hx-get" in message for message in messages)
