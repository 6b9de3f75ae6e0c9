# ruff: noqa: S608, S610, S611 — SQL here is built from the constant table names of an Index; what
# a member types only ever travels as a query parameter (the nosec marks below tell bandit so).
"""Full-text search over initiatives and needs, ranked by relevance, accents ignored.

One entry point, `search(queryset, text)`, used by the list pages, the "déjà proposé ?"
suggestions and the API. The index lives in the database and follows every write:

- SQLite: an FTS5 table per model (tokenizer unicode61 with diacritics removed), an external
  content table kept in sync by triggers; ranked by bm25 with the title weighing most.
- PostgreSQL: a `search_vector` tsvector column maintained by a trigger, built with the
  `ruche_french` configuration (French stemming after unaccent), GIN-indexed; ranked by ts_rank.

Neither column nor table is known to the Django models: they are created by migration 0002,
through `install()`. On SQLite, a later migration that rebuilds one of these tables (Django
does so to alter a column) drops its triggers: call `install()` again after it.
"""

import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from ruche.core.text import fold

MAX_TERMS = 12
# Words too common to say anything; dropped so that "accueil des nouveaux" means "accueil
# nouveaux" on both databases (PostgreSQL's French configuration drops them too).
STOP_WORDS = frozenset({
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "est", "et",
    "eux", "il", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "meme", "mes",
    "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que",
    "qui", "sa", "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un",
    "une", "vos", "votre", "vous",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]
    # bm25 weights on SQLite, ts weights A, B, C on PostgreSQL: in the order of `columns`.
    weights: tuple[float, ...]

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"


INITIATIVES = Index("initiatives_initiative", ("title", "summary", "description"), (10, 4, 1))
NEEDS = Index("initiatives_need", ("title", "description"), (10, 1))
_PG_LETTERS = ("A", "B", "C", "D")


def _index_for(model) -> Index:
    for index in (INITIATIVES, NEEDS):
        if model._meta.db_table == index.table:
            return index
    raise LookupError(f"No search index for {model.__name__}")


def query_terms(text: str) -> list[str]:
    """The words worth searching for, folded (lower case, no accents)."""
    words = [word for word in _WORD.findall(fold(text or "")) if len(word) > 1]
    meaningful = [word for word in words if word not in STOP_WORDS]
    return list(dict.fromkeys(meaningful or words))[:MAX_TERMS]


def search(queryset: QuerySet, text: str, *, any_word: bool = False) -> QuerySet:
    """The rows of `queryset` matching `text`, annotated with `search_rank` (higher is more
    relevant); ordering is left to the caller. Each word also matches as a prefix ("apéro"
    finds "apéros"). All words must match, unless `any_word` (for suggestions: the closest
    entries first, even if they share only some words)."""
    terms = query_terms(text)
    if not terms:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    index = _index_for(queryset.model)
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return _search_sqlite(queryset, index, terms, any_word)
    if vendor == "postgresql":
        return _search_postgresql(queryset, index, terms, any_word)
    return _search_anywhere(queryset, index, terms, any_word)


# A row whose title holds every word of the query comes before the others, however the rest of
# the text scores: "accessibilité numérique" is first about the initiative of that name.
TITLE_BOOST = 1000.0


def _search_sqlite(queryset, index, terms, any_word):
    # Quoted terms cannot carry FTS5 syntax; the words come from _WORD, never a quote.
    phrases = [f'"{term}"*' for term in terms]
    match = (" OR " if any_word else " AND ").join(phrases)
    in_title = f"{index.columns[0]} : ({' AND '.join(phrases)})"
    fts, table = index.fts, index.table
    weights = ", ".join(str(float(weight)) for weight in index.weights)
    # Why extra(): ranking needs a join with the FTS table, and the ORM only joins tables it
    # has a model for. The alternatives are worse: a RawSQL subquery per row (filter on
    # `pk__in` plus a correlated bm25) took 208 ms instead of 9 ms for a 335-result query over
    # 10,000 initiatives (bench/search.py); an unmanaged model for the FTS table would put a
    # SQLite-only table in the app registry, where anything that walks the models (exports,
    # dumps, test snapshots) would query it on PostgreSQL too.
    # bm25 is computed once per match (lower is better, hence negated so that every backend
    # ranks "higher is better"). The unary + keeps SQLite from probing the FTS table by rowid
    # for every initiative (which it would otherwise choose for a COUNT): the full-text match
    # drives the join.
    return queryset.extra(  # nosec B610
        select={
            "search_rank": f"-bm25({fts}, {weights}) + CASE WHEN {fts}.rowid IN "  # nosec B608
            f"(SELECT rowid FROM {fts} WHERE {fts} MATCH %s) THEN {TITLE_BOOST} ELSE 0 END"
        },
        select_params=[in_title],
        tables=[fts],
        where=[f'+{fts}.rowid = "{table}"."id"', f"{fts} MATCH %s"],
        params=[match],
    )


def _search_postgresql(queryset, index, terms, any_word):
    tsquery = (" | " if any_word else " & ").join(f"{term}:*" for term in terms)
    # The title is the vector's weight A: "word:*A" matches it in the title only.
    in_title = " & ".join(f"{term}:*A" for term in terms)
    table = index.table
    matching = RawSQL(  # nosec B611
        f'"{table}"."search_vector" @@ to_tsquery(\'ruche_french\', %s)',
        [tsquery],
        output_field=BooleanField(),
    )
    rank = RawSQL(  # nosec B611
        f'ts_rank("{table}"."search_vector", to_tsquery(\'ruche_french\', %s)) + CASE WHEN '
        f'"{table}"."search_vector" @@ to_tsquery(\'ruche_french\', %s) THEN {TITLE_BOOST} '
        "ELSE 0 END",
        [tsquery, in_title],
        output_field=FloatField(),
    )
    return queryset.filter(matching).annotate(search_rank=rank)


def _search_anywhere(queryset, index, terms, any_word):
    """Other databases: plain substring matching, unranked."""
    condition = Q()
    for term in terms:
        term_matches = Q()
        for column in index.columns:
            term_matches |= Q(**{f"{column}__icontains": term})
        condition = (condition | term_matches) if any_word else (condition & term_matches)
    return queryset.filter(condition).annotate(search_rank=Value(0.0, output_field=FloatField()))


# Installation, called by migrations.


def _sqlite_install(index: Index) -> list[str]:
    fts, table = index.fts, index.table
    columns = ", ".join(index.columns)
    new_values = ", ".join(f"new.{column}" for column in index.columns)
    old_values = ", ".join(f"old.{column}" for column in index.columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({columns}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"DROP TRIGGER IF EXISTS {fts}_insert",
        f"DROP TRIGGER IF EXISTS {fts}_delete",
        f"DROP TRIGGER IF EXISTS {fts}_update",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "  # nosec B608
        f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new_values}); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "  # nosec B608
        f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old_values}); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {columns} ON {table} BEGIN "  # nosec B608
        f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {old_values}); "
        f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {new_values}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # nosec B608
    ]


def _sqlite_uninstall(index: Index) -> list[str]:
    fts = index.fts
    return [
        f"DROP TRIGGER IF EXISTS {fts}_insert",
        f"DROP TRIGGER IF EXISTS {fts}_delete",
        f"DROP TRIGGER IF EXISTS {fts}_update",
        f"DROP TABLE IF EXISTS {fts}",
    ]


_PG_CONFIGURATION = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'ruche_french') THEN
    CREATE TEXT SEARCH CONFIGURATION ruche_french (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION ruche_french
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END
$$;
"""


def _pg_vector(index: Index, row: str) -> str:
    parts = [
        f"setweight(to_tsvector('ruche_french', coalesce({row}{column}, '')), '{letter}')"
        for column, letter in zip(index.columns, _PG_LETTERS, strict=False)
    ]
    return " || ".join(parts)


def _pg_install(index: Index) -> list[str]:
    table = index.table
    columns = ", ".join(index.columns)
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector",
        f"CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger AS $$ "
        f"BEGIN NEW.search_vector := {_pg_vector(index, 'NEW.')}; RETURN NEW; END "
        f"$$ LANGUAGE plpgsql",
        f"DROP TRIGGER IF EXISTS {table}_search ON {table}",
        f"CREATE TRIGGER {table}_search BEFORE INSERT OR UPDATE OF {columns} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
        f"UPDATE {table} SET search_vector = {_pg_vector(index, '')}",  # nosec B608
        f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING GIN (search_vector)",
    ]


def _pg_uninstall(index: Index) -> list[str]:
    table = index.table
    return [
        f"DROP TRIGGER IF EXISTS {table}_search ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_search_vector()",
        f"DROP INDEX IF EXISTS {table}_search",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
    ]


def install(schema_editor) -> None:
    """Creates (or re-creates) the search index of both models, and fills it."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [*_sqlite_install(INITIATIVES), *_sqlite_install(NEEDS)]
    elif vendor == "postgresql":
        statements = [
            "CREATE EXTENSION IF NOT EXISTS unaccent",
            _PG_CONFIGURATION,
            *_pg_install(INITIATIVES),
            *_pg_install(NEEDS),
        ]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [*_sqlite_uninstall(INITIATIVES), *_sqlite_uninstall(NEEDS)]
    elif vendor == "postgresql":
        statements = [*_pg_uninstall(INITIATIVES), *_pg_uninstall(NEEDS)]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)
