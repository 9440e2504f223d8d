"""Django's PostgreSQL backend, with its driver (psycopg, ~16% of a cold start's instructions)
loaded when a request first uses the database, not when models are defined: an anonymous page
that runs no SQL never imports it.

Until then the wrapper answers only what Django asks of every connection without using it (the
longest name, for table names; the per-request query log reset and stale-connection check);
anything else turns it, in place, into Django's own PostgreSQL DatabaseWrapper."""

import collections

from django.db import DEFAULT_DB_ALIAS

POSTGRESQL_MAX_NAME_LENGTH = 63  # NAMEDATALEN - 1, what Django's backend answers


class _NamesOnly:
    """The stand-in's `ops`: the longest name without the driver; anything else (the ORM's first
    query asks for `ops.compiler`) makes its connection the real one and asks the real `ops`."""

    def __init__(self, connection):
        self._connection = connection

    @staticmethod
    def max_name_length() -> int:
        return POSTGRESQL_MAX_NAME_LENGTH

    def __getattr__(self, name):
        if isinstance(self._connection, DatabaseWrapper):
            self._connection.become_postgresql()
        return getattr(self._connection.ops, name)


class DatabaseWrapper:
    vendor = "postgresql"

    def __init__(self, settings_dict, alias=DEFAULT_DB_ALIAS):
        self.settings_dict = settings_dict
        self.alias = alias
        self.queries_log = collections.deque()
        self.ops = _NamesOnly(self)

    def close_if_unusable_or_obsolete(self) -> None:
        """Nothing to close: no connection was opened yet."""

    def __getattr__(self, name):
        # Only for what this stand-in lacks: become the real wrapper, then answer.
        self.become_postgresql()
        return getattr(self, name)

    def become_postgresql(self) -> None:
        """Turn, in place, into Django's own PostgreSQL DatabaseWrapper (importing the driver)."""
        from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQL

        settings_dict, alias = self.settings_dict, self.alias
        self.__dict__.clear()
        self.__class__ = PostgreSQL
        PostgreSQL.__init__(self, settings_dict, alias)
