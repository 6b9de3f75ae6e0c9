"""The cache without Redis: Django's database cache, whose counters hold across processes.

Django's `incr` reads the value, then writes value + delta: two gunicorn workers counting the
same rate limit at once both write n + 1, and one attempt goes uncounted. Here the read and
the write happen in one transaction that holds the row (SELECT … FOR UPDATE on PostgreSQL; on
SQLite the IMMEDIATE transaction takes the database's write lock at BEGIN).
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # SQL names come from the settings (the cache table) and constants; values are parameters.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608  # nosec B608
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            # Only this cache writes the table, as Django's own unpickles what it wrote.
            stored = base64.b64decode(connection.ops.process_clob(row[0]))
            value = pickle.loads(stored) + delta  # noqa: S301  # nosec B301
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608  # nosec B608
                [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), key],
            )
        return value

    @staticmethod
    def _expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < timezone.now()
