import io
import json
import shutil
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruche.members.enums import Domaine, MissionStatus
from ruche.members.importers import betagouv
from ruche.members.models import Competence, Incubator, Member, Mission, Organisation, Startup
from tests.factories import MemberFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "betagouv"
SNAPSHOT = Path(__file__).resolve().parents[3] / "shared" / "data" / "betagouv-api-v2.7"

pytestmark = pytest.mark.django_db


def run_import(*args, **options) -> str:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_betagouv", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue()


@pytest.fixture
def source(tmp_path) -> Path:
    """A copy of the fixtures that a test may edit."""
    directory = tmp_path / "betagouv"
    shutil.copytree(FIXTURES, directory)
    return directory


def edit(directory: Path, name: str, change) -> None:
    path = directory / name
    data = json.loads(path.read_text())
    path.write_text(json.dumps(change(data) or data))


def author(data: list, member_id: str) -> dict:
    return next(a for a in data if isinstance(a, dict) and a.get("id") == member_id)


def table_rows() -> dict:
    """Every imported row, to compare the database before and after a run."""
    through = [Member.competences.through, Member.previous_startups.through]
    models = [Organisation, Incubator, Startup, Member, Mission, Competence, *through]
    return {
        model._meta.db_table: sorted(map(repr, model.objects.order_by("pk").values_list()))
        for model in [*models, Mission.startups.through]
    }


def test_it_imports_the_fixtures_and_counts_each_kind(source):
    output = run_import(source)

    assert "organisations: 3 created, 0 updated, 0 unchanged, 2 skipped" in output
    assert "incubators: 3 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "startups: 3 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "members: 5 created, 0 updated, 0 unchanged, 3 skipped" in output
    assert Member.objects.count() == 5


def test_imported_records_carry_upstream_values(source):
    run_import(source)

    jean = Member.objects.get(betagouv_id="jean.dupont")
    assert jean.display_name == "Jean Dupont"
    assert jean.domaine == Domaine.DEVELOPPEMENT
    assert jean.github == "jdupont"
    assert sorted(c.name for c in jean.competences.all()) == ["Django", "Python"]
    assert [s.slug for s in jean.previous_startups.all()] == ["mon-suivi-social"]
    [mission] = jean.missions.all()
    assert (mission.end, mission.status, mission.employer) == (
        None,
        MissionStatus.INDEPENDENT,
        "Coopérative Pixel",
    )
    assert [s.slug for s in mission.startups.all()] == ["aides-jeunes"]
    assert jean.is_active_member()
    assert Member.objects.get(betagouv_id="lea.martin").is_alumnus()
    assert Member.objects.search("dupont").get() == jean

    startup = Startup.objects.get(slug="aides-jeunes")
    assert startup.incubator.slug == "dinum"
    assert startup.phase == "acceleration"
    assert startup.link == "https://www.1jeune1solution.gouv.fr/mes-aides"
    assert startup.thematiques == ["Jeunesse", "Social"]
    assert startup.accessibility_status == "partiellement conforme"
    incubator = Incubator.objects.get(slug="dinum")
    assert incubator.title == "L'incubateur de la DINUM"
    assert incubator.owner.acronym == "DINUM"
    assert Incubator.objects.get(slug="anct").website == "https://incubateur.anct.gouv.fr"


def test_each_problem_names_the_record_and_what_was_done(source):
    output = run_import(source)

    for expected in [
        'authors.json: member "jean.dupont": mission 2 ends before it starts — mission skipped',
        'authors.json: member "chloe.bernard": mission 1 start date "01/02/2024" is not a date',
        'authors.json: member "chloe.bernard": domaine "Astronaute" is unknown — left empty',
        'authors.json: member "samir.haddad": mission 1 names unknown startup '
        '"startup-inexistante" — link skipped',
        'authors.json: member 6: "id" is missing — member skipped',
        'authors.json: member "jean.dupont": appears more than once',
        'authors.json: member "noemie.petit": "missions" is not a list — no mission imported',
        'startups.json: startup "orpheline": incubator "incubateur-fantome" is unknown — '
        "imported without incubator",
        'startups.json: startup "sans-attributs": "attributes" is missing — startup skipped',
        'incubators.json: incubator "sans-titre": "title" is missing — incubator skipped',
        'organisations.json: organisation "sans-nom": "name" is missing — organisation skipped',
    ]:
        assert expected in output


def test_a_phase_or_a_mission_that_is_not_an_object_is_skipped_alone(source):
    def break_one_phase(data):
        startup = next(s for s in data["data"] if s["id"] == "aides-jeunes")
        startup["attributes"]["phases"].insert(0, "acceleration")

    def break_one_mission(data):
        next(a for a in data if a["id"] == "samir.haddad")["missions"].insert(0, 2024)

    edit(source, "startups.json", break_one_phase)
    edit(source, "authors.json", break_one_mission)
    output = run_import(source)

    assert 'startup "aides-jeunes": phase 1 is not an object — phase skipped' in output
    assert 'member "samir.haddad": mission 1 is not an object — mission skipped' in output
    assert Startup.objects.get(slug="aides-jeunes").phase == "acceleration"
    assert Member.objects.get(betagouv_id="samir.haddad").missions.count() == 1


def test_broken_parts_of_a_record_do_not_stop_the_rest_of_it(source):
    run_import(source)

    chloe = Member.objects.get(betagouv_id="chloe.bernard")
    assert chloe.domaine == ""
    assert chloe.link == ""
    assert [m.employer for m in chloe.missions.all()] == ["ANCT"]
    assert Member.objects.get(betagouv_id="noemie.petit").display_name == "noemie.petit"
    samir_mission = Member.objects.get(betagouv_id="samir.haddad").missions.get()
    assert samir_mission.status == ""
    assert [s.slug for s in samir_mission.startups.all()] == ["mon-suivi-social"]
    orpheline = Startup.objects.get(slug="orpheline")
    assert orpheline.incubator is None
    assert orpheline.phase == "construction"


def test_a_second_run_changes_nothing_and_says_so(source):
    run_import(source)
    before = table_rows()

    with CaptureQueriesContext(connection) as queries:
        output = run_import(source)

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert table_rows() == before
    assert "Nothing changed" in output
    assert "members: 0 created, 0 updated, 5 unchanged, 3 skipped" in output


def test_member_address_uses_the_configured_domain(source, settings):
    settings.MEMBER_EMAIL_DOMAIN = "communaute.example.org"

    run_import(source)

    assert Member.objects.get(betagouv_id="lea.martin").email == "lea.martin@communaute.example.org"


def test_upstream_changes_are_applied_and_unchanged_missions_kept(source):
    run_import(source)
    kept_mission = Mission.objects.get(member__betagouv_id="jean.dupont")

    def change(authors):
        jean = author(authors, "jean.dupont")
        jean["role"] = "Tech lead"
        jean["missions"].append(
            {"start": "2025-01-06", "end": "", "status": "admin", "employer": "DINUM"}
        )
        jean["competences"] = ["Python"]
        author(authors, "lea.martin")["missions"][0]["end"] = "2022-12-31"

    edit(source, "authors.json", change)
    edit(source, "startups.json", lambda d: d["data"][1]["attributes"].update(name="Suivi Social"))
    output = run_import(source)

    assert "members: 0 created, 2 updated, 3 unchanged" in output
    assert "startups: 0 created, 1 updated, 2 unchanged" in output
    jean = Member.objects.get(betagouv_id="jean.dupont")
    assert jean.role == "Tech lead"
    assert Member.objects.search("tech lead").get() == jean
    assert [c.name for c in jean.competences.all()] == ["Python"]
    assert kept_mission.pk in {m.pk for m in jean.missions.all()}
    assert jean.missions.count() == 2
    lea_mission = Mission.objects.get(member__betagouv_id="lea.martin")
    assert str(lea_mission.end) == "2022-12-31"
    assert lea_mission.startups.count() == 2
    assert Startup.objects.get(slug="mon-suivi-social").name == "Suivi Social"


def test_a_member_gone_upstream_is_marked_not_deleted(source):
    run_import(source)

    edit(source, "authors.json", lambda a: [x for x in a if x.get("id") != "lea.martin"])
    output = run_import(source)

    lea = Member.objects.get(betagouv_id="lea.martin")
    assert lea.upstream_missing_since is not None
    assert lea.missions.count() == 1
    assert "members: 0 created, 0 updated, 4 unchanged, 3 skipped, 1 marked missing" in output


def test_a_member_coming_back_upstream_loses_the_mark(source):
    run_import(source)
    original = json.loads((source / "authors.json").read_text())
    edit(source, "authors.json", lambda a: [x for x in a if x.get("id") != "lea.martin"])
    run_import(source)

    (source / "authors.json").write_text(json.dumps(original))
    output = run_import(source)

    assert Member.objects.get(betagouv_id="lea.martin").upstream_missing_since is None
    assert "members: 0 created, 1 updated, 4 unchanged" in output


def test_startups_and_incubators_gone_upstream_are_marked_not_deleted(source):
    run_import(source)

    edit(source, "startups.json", lambda d: d["data"].pop(1) and None)
    edit(source, "incubators.json", lambda d: d.pop("anct") and None)
    run_import(source)

    assert Startup.objects.get(slug="mon-suivi-social").upstream_missing_since is not None
    assert Incubator.objects.get(slug="anct").upstream_missing_since is not None
    assert Startup.objects.get(slug="aides-jeunes").upstream_missing_since is None


def test_a_broken_record_is_not_marked_missing(source):
    run_import(source)

    edit(source, "authors.json", lambda a: author(a, "lea.martin").update(fullname=42) and None)
    edit(source, "startups.json", lambda d: d["data"][0].pop("attributes") and None)
    run_import(source)

    assert Member.objects.get(betagouv_id="lea.martin").upstream_missing_since is None
    assert Startup.objects.get(slug="aides-jeunes").upstream_missing_since is None


def test_ruche_only_fields_are_never_touched(source):
    run_import(source)
    Member.objects.filter(betagouv_id="jean.dupont").update(
        interests=["vélo"],
        languages=["français", "LSF"],
        transverse_role="Équipe d’animation",
        is_staff=True,
        avatar="avatars/jean.png",
    )

    edit(source, "authors.json", lambda a: author(a, "jean.dupont").update(role="Tech lead"))
    run_import(source)

    jean = Member.objects.get(betagouv_id="jean.dupont")
    assert jean.role == "Tech lead"
    assert jean.interests == ["vélo"]
    assert jean.languages == ["français", "LSF"]
    assert jean.transverse_role == "Équipe d’animation"
    assert jean.is_staff
    assert jean.avatar.name == "avatars/jean.png"


def test_a_profile_edit_on_ruche_stands_until_upstream_changes_that_field(source):
    run_import(source)
    jean = Member.objects.get(betagouv_id="jean.dupont")
    jean.bio = "Ma présentation écrite sur Ruche."
    jean.save()

    edit(source, "authors.json", lambda a: author(a, "jean.dupont").update(role="Tech lead"))
    run_import(source)
    assert Member.objects.get(pk=jean.pk).bio == "Ma présentation écrite sur Ruche."

    edit(source, "authors.json", lambda a: author(a, "jean.dupont").update(bio="Nouvelle bio."))
    run_import(source)
    assert Member.objects.get(pk=jean.pk).bio == "Nouvelle bio."


def test_a_member_invited_by_hand_is_matched_by_address(source):
    invited = MemberFactory(betagouv_id=None, email="lea.martin@beta.gouv.fr", mission=False)
    invited.interests = ["accessibilité"]
    invited.save()

    run_import(source)

    lea = Member.objects.get(betagouv_id="lea.martin")
    assert lea.pk == invited.pk
    assert lea.display_name == "Léa Martin"
    assert lea.interests == ["accessibilité"]
    assert lea.missions.count() == 1


def test_an_address_taken_by_another_imported_member_skips_the_record(source):
    MemberFactory(betagouv_id="lea.martin.bis", email="lea.martin@beta.gouv.fr", mission=False)

    output = run_import(source)

    assert (
        'member "lea.martin": the address lea.martin@beta.gouv.fr belongs to member '
        '"lea.martin.bis" — member skipped' in output
    )
    assert not Member.objects.filter(betagouv_id="lea.martin").exists()


def test_a_missing_file_is_reported_and_the_rest_imported(source):
    (source / "organisations.json").unlink()

    output = run_import(source)

    assert "organisations.json: file not found — organisations not imported" in output
    assert "organisations: not imported" in output
    assert Incubator.objects.get(slug="dinum").owner is None
    assert Member.objects.count() == 5


def test_a_file_that_is_not_json_is_reported_and_the_rest_imported(source):
    (source / "startups.json").write_text('{"data": [')

    output = run_import(source)

    assert "startups.json: is not valid JSON" in output
    assert Startup.objects.count() == 0
    assert Member.objects.count() == 5


def test_a_file_of_the_wrong_shape_is_not_used(source):
    (source / "authors.json").write_text('{"id": "jean.dupont"}')

    output = run_import(source)

    assert "authors.json: is not a list of members — members not imported" in output
    assert Member.objects.count() == 0
    assert Startup.objects.count() == 3


def test_a_file_left_out_marks_nothing_missing(source):
    run_import(source)

    (source / "authors.json").unlink()
    run_import(source)

    assert not Member.objects.filter(upstream_missing_since__isnull=False).exists()


def test_nothing_usable_is_a_command_error(tmp_path):
    expected = r"(?s)Nothing could be imported .*authors.json: file not found"
    with pytest.raises(CommandError, match=expected):
        run_import(tmp_path)


def test_a_source_that_is_neither_a_directory_nor_a_url_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is neither a directory nor an http"):
        run_import(tmp_path / "absent")


def test_a_dry_run_saves_nothing(source):
    stdout = io.StringIO()
    call_command("import_betagouv", str(source), "--dry-run", stdout=stdout, stderr=io.StringIO())

    assert "members: 5 created" in stdout.getvalue()
    assert "Dry run: nothing was saved." in stdout.getvalue()
    assert Member.objects.count() == 0


def test_progress_goes_to_stderr_as_lines_when_not_a_terminal(source):
    stderr = io.StringIO()
    call_command("import_betagouv", str(source), stdout=io.StringIO(), stderr=stderr)

    assert "members: 8/8" in stderr.getvalue().splitlines()
    assert "\r" not in stderr.getvalue()


class FakeResponse:
    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content


def test_it_imports_from_the_api_url(monkeypatch):
    fetched = []

    def fake_get(url, timeout, headers):
        fetched.append(url)
        assert timeout
        name = url.rsplit("/", 1)[-1]
        return FakeResponse(200, (FIXTURES / name).read_bytes())

    monkeypatch.setattr(betagouv.requests, "get", fake_get)

    output = run_import("https://api.example.org/v2.7")

    assert "https://api.example.org/v2.7/authors.json" in fetched
    assert "members: 5 created" in output


def test_an_http_error_on_one_file_is_reported_and_the_rest_imported(monkeypatch):
    def fake_get(url, timeout, headers):
        name = url.rsplit("/", 1)[-1]
        if name == "startups.json":
            return FakeResponse(503, b"")
        return FakeResponse(200, (FIXTURES / name).read_bytes())

    monkeypatch.setattr(betagouv.requests, "get", fake_get)

    output = run_import("https://api.example.org/v2.7/")

    assert (
        "startups.json: https://api.example.org/v2.7/startups.json answered HTTP 503 — "
        "startups not imported" in output
    )
    assert Member.objects.count() == 5


def test_an_unreachable_api_is_a_clear_command_error(monkeypatch):
    def fake_get(url, timeout, headers):
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(betagouv.requests, "get", fake_get)

    with pytest.raises(CommandError, match=r"Cannot reach https://api.example.org/v2.7/"):
        run_import("https://api.example.org/v2.7/")
    assert Member.objects.count() == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not SNAPSHOT.is_dir(), reason=f"the beta.gouv snapshot is not at {SNAPSHOT} on this machine"
)
def test_the_real_snapshot_imports_whole_and_a_second_run_changes_nothing():
    output = run_import(SNAPSHOT)

    assert "organisations: 143 created" in output
    assert "incubators: 23 created" in output
    assert "startups: 660 created" in output
    assert "members: 3484 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert Member.objects.count() == 3484
    assert Mission.objects.count() > 4500
    before = table_rows()

    output = run_import(SNAPSHOT)

    assert "Nothing changed" in output
    assert "members: 0 created, 0 updated, 3484 unchanged" in output
    assert table_rows() == before
