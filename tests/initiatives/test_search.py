import pytest
from django.db import connection

from bench.search import TARGETS, build, list_page_search
from ruche.core.text import fold
from ruche.initiatives.models import Initiative, Need
from ruche.initiatives.search import query_terms, search
from tests.initiatives.factories import InitiativeFactory, NeedFactory

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [initiative.title for initiative in queryset.order_by("-search_rank", "-pk")]


def found(text, **kwargs):
    return titles(search(Initiative.objects.all(), text, **kwargs))


def test_accents_and_case_are_ignored_both_ways():
    InitiativeFactory(title="Apéro de rentrée")
    InitiativeFactory(title="Cafe du matin")
    assert found("APERO rentree") == ["Apéro de rentrée"]
    assert found("café") == ["Cafe du matin"]


def test_a_word_also_finds_longer_words_it_begins():
    InitiativeFactory(title="Les apéros de l’été")
    assert found("apéro") == ["Les apéros de l’été"]


def test_every_word_must_match_but_suggestions_take_any():
    InitiativeFactory(title="Guide d’hébergement", summary="Sauvegardes et restauration.")
    InitiativeFactory(title="Atelier sauvegardes", summary="Pour les bases de données.")
    assert found("hébergement sauvegardes") == ["Guide d’hébergement"]
    assert set(found("hébergement données", any_word=True)) == {
        "Guide d’hébergement",
        "Atelier sauvegardes",
    }


def test_the_title_outranks_the_summary_and_the_description():
    InitiativeFactory(title="Club de lecture", description="On parlera de mentorat.")
    InitiativeFactory(title="Mentorat des nouveaux", description="Des binômes.")
    InitiativeFactory(title="Groupe produit", summary="Un peu de mentorat aussi.")
    assert found("mentorat") == ["Mentorat des nouveaux", "Groupe produit", "Club de lecture"]


def test_common_words_do_not_hide_results():
    InitiativeFactory(title="Accueil nouveaux arrivants")
    assert found("l’accueil des nouveaux") == ["Accueil nouveaux arrivants"]


@pytest.mark.parametrize(
    "text", ['"', "NEAR(a b)", "a OR", "*", "-x", "title:foo", "(((", "’'’", "_ _", "ünï çødé"]
)
def test_any_typed_text_is_safe(text):
    InitiativeFactory(title="Apéro")
    list(search(Initiative.objects.all(), text))
    list(search(Initiative.objects.all(), text, any_word=True))


def test_nothing_to_search_for_leaves_the_list_as_it_is():
    InitiativeFactory()
    assert query_terms(" ' - ") == []
    assert search(Initiative.objects.all(), "  ").count() == 1


def test_the_index_follows_edits_and_deletions():
    initiative = InitiativeFactory(title="Atelier vélo")
    initiative.title = "Atelier cuisine"
    initiative.save()
    assert found("vélo") == []
    assert found("cuisine") == ["Atelier cuisine"]
    Initiative.objects.filter(title__contains="vélo").update(title="Atelier jardinage")
    initiative.delete()
    assert found("cuisine") == []


def test_needs_are_searchable_too():
    NeedFactory(title="Trop de réunions", description="On passe nos journées en visio.")
    NeedFactory(title="Pas de salle")
    assert [need.title for need in search(Need.objects.all(), "visio")] == ["Trop de réunions"]


def test_the_index_exists_for_this_database():
    tables = connection.introspection.table_names(include_views=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {"initiatives_initiative_fts", "initiatives_need_fts"} <= set(tables)
        # A migration that rebuilds a table (SQLite's way to add a column) must install them
        # again: 0004 added a column to needs.
        assert {
            f"initiatives_{model}_fts_{event}"
            for model in ("initiative", "need")
            for event in ("insert", "update", "delete")
        } <= triggers
    else:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "initiatives_initiative"
            )
        ]
        assert "search_vector" in columns


# The bench's queries as someone might type them with, or without, accents.
ACCENTED = {"apero rentree lyon": "apéro rentrée Lyon"}


def test_a_typo_free_query_finds_the_relevant_initiative_first_among_thousands():
    """The bench's data at a smaller scale; the bench itself times it at 10,000. Run on SQLite
    (FTS5) and on PostgreSQL (French configuration after unaccent): the same first result with
    or without accents, on both."""
    expected = build(3_000)
    for query, _title, _summary in TARGETS:
        for typed in {query, fold(query), ACCENTED.get(query, query), query.upper()}:
            count, page = list_page_search(typed)
            assert page, typed
            assert page[0].pk == expected[query], (typed, [i.title for i in page[:3]], count)
        with_accents = list_page_search(ACCENTED.get(query, query))
        without = list_page_search(fold(query))
        assert with_accents[0] == without[0]  # the same number of results either way
