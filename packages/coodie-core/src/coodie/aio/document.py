"""The asynchronous Document: every I/O method is a coroutine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from coodie.aio.lifecycle import run_hooks, run_update_hooks
from coodie.aio.queryset import QuerySet
from coodie.api.document import MAPPERS, DocumentBase, mapper_of
from coodie.api.runner import IS_ASYNC, run_async
from coodie.drivers.concurrency import check_concurrency
from coodie.mapping.bulk import BulkSave
from coodie.mapping.polymorphic import discriminator_state, tables_for
from coodie.model.hooks import HOOKED, NO_HOOKS
from coodie.query.write_options import request_options, with_request_options

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from typing_extensions import Self, Unpack

    from coodie.drivers.statement import Consistency
    from coodie.model.hooks import Hooks
    from coodie.query.write_options import ConditionalOptions, RequestOptions

__all__ = ["Document"]


class Document(DocumentBase):
    """A pydantic model stored in a Cassandra table, with an asyncio API."""

    __coodie_abstract__: ClassVar[bool] = True
    if IS_ASYNC:  # coroutine hooks are awaited here, and refused by coodie.sync
        __coodie_awaits_hooks__: ClassVar[bool] = True

    # -- schema --------------------------------------------------------------------------

    @classmethod
    async def sync_table(
        cls, *, dry_run: bool = False, drop_removed_indexes: bool = False
    ) -> list[str]:
        """Create the table, or add new columns, changed options and indexes; returns the DDL
        that ran (``dry_run=True``: that would run, sending none). Raises SchemaError when a
        column's type or the primary key differs from the table; indexes the model no longer
        declares are dropped only with ``drop_removed_indexes=True`` (else a CoodieWarning)."""
        mapper = mapper_of(cls)
        operation = tables_for(cls, mapper.tables).sync_table(
            dry_run=dry_run, drop_removed_indexes=drop_removed_indexes
        )
        return await run_async(mapper.driver, operation)

    @classmethod
    async def drop_table(cls) -> None:
        """DROP TABLE IF EXISTS for this model's table."""
        mapper = mapper_of(cls)
        await mapper.driver.execute_async(mapper.tables.drop_table_statement())

    # -- reads ---------------------------------------------------------------------------

    @classmethod
    def find(cls, **filters: Any) -> QuerySet[Self]:
        """A QuerySet of this model, filtered by ``filters`` (``field=value``, ``field__op=value``);
        lazy: nothing is sent until it runs."""
        query: QuerySet[Self] = QuerySet(cls, discriminator_state(cls))
        return query.filter(**filters) if filters else query

    @classmethod
    async def find_one(cls, **filters: Any) -> Self | None:
        """The first document matching ``filters``, or ``None`` when there is none."""
        return await cls.find(**filters).first()

    @classmethod
    async def get(cls, **filters: Any) -> Self:
        """The one document matching ``filters`` (usually the primary key).

        Raises DocumentNotFound or MultipleDocumentsFound.
        """
        mapper = mapper_of(cls)
        statement = mapper.reads.get_statement(filters)
        return mapper.reads.one(await mapper.driver.execute_async(statement), filters)

    async def refresh(self) -> None:
        """Re-read this row and replace the field values with what is stored (changes other
        writers made included). Raises DocumentNotFound when the row is gone."""
        mapper = mapper_of(self.__class__)
        mapper.reads.refresh(
            self, await mapper.driver.execute_async(mapper.reads.refresh_statement(self))
        )

    # -- writes --------------------------------------------------------------------------
    # Every write takes ``consistency=`` and ``timeout=`` (seconds) for its request, and a
    # conditional one ``serial_consistency=`` too; with none given, no option code runs.

    @classmethod
    async def insert_many(
        cls,
        documents: Iterable[Self],
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        concurrency: int = 64,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Save many documents with at most ``concurrency`` requests in flight; returns how
        many were written. The first failure is raised once the requests in flight ended.

        A list or tuple is checked whole before anything is sent; a document of a lazy
        iterable that is refused stops it, and the error says how many were written."""
        check_concurrency(concurrency)
        mapper = mapper_of(cls)
        hooked = cls in HOOKED  # each document runs its own class's hooks
        if hooked:
            documents = list(documents)
            for doc in documents:
                await run_hooks(_hooks(doc).before_save, doc)
        bulk = BulkSave(mapper.writes, documents, ttl, timestamp, options)
        written = await mapper.driver.execute_many_async(bulk, concurrency)
        bulk.finish(written)
        if hooked:
            for doc in documents:
                await run_hooks(_hooks(doc).after_save, doc)
        return written

    async def save(
        self,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Upsert this document (INSERT). ``None`` fields are left unset, not tombstoned."""
        try:  # mapper_of() inlined: this is the hot path (try is free until raised)
            mapper = MAPPERS[self.__class__]
        except KeyError:
            mapper = mapper_of(self.__class__)
        hooks = mapper.hooks
        if hooks is not None:
            await run_hooks(hooks.before_save, self)
        try:
            statement = mapper.writes.save_statement(self, ttl, timestamp)
        except KeyError as error:  # free until raised
            raise mapper.writes.missing_field(self, error) from None
        if options:
            request_options(statement, options, "save")
        await mapper.driver.execute_async(statement)
        if hooks is not None:
            await run_hooks(hooks.after_save, self)

    async def insert(
        self,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        **options: Unpack[ConditionalOptions],
    ) -> None:
        """INSERT IF NOT EXISTS; raises ConditionalWriteFailed (carrying the existing row)
        when the row was already there."""
        mapper = mapper_of(self.__class__)
        hooks = mapper.hooks
        if hooks is not None:
            await run_hooks(hooks.before_insert, self)
        write = mapper.writes.insert_write(self, ttl, timestamp)
        if options:
            request_options(write.statement, options, "insert", True)
        mapper.writes.finish(self, await mapper.driver.execute_async(write.statement), write)
        if hooks is not None:  # not reached when the INSERT was not applied
            await run_hooks(hooks.after_insert, self)

    async def update(
        self,
        values: Mapping[str, Any] | None = None,
        /,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
        consistency: Consistency | str | None = None,
        serial_consistency: Consistency | str | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> None:
        """UPDATE some columns of this row and mirror them on the instance.

        Pass new values as keywords, or as a dict for fields named like an option.
        ``field__append``/``__prepend``/``__remove`` (lists), ``__add``/``__remove`` (sets)
        and ``__update``/``__remove`` (maps, keys to remove) change part of a collection.
        With ``if_conditions``/``if_exists`` raises ConditionalWriteFailed if not applied.
        """
        try:  # mapper_of() inlined: this is the hot path (try is free until raised)
            mapper = MAPPERS[self.__class__]
        except KeyError:
            mapper = mapper_of(self.__class__)
        hooks = mapper.hooks
        if hooks is not None:  # the fields they assign are written too
            values = await run_update_hooks(hooks.before_update, self, values, fields)
        if consistency is None and timeout is None and serial_consistency is None:
            plain = mapper.updates.plain_update(
                self, values, fields, ttl, timestamp, if_conditions, if_exists
            )
            if plain is not None:  # no option at all: nothing to check afterwards
                await mapper.driver.execute_async(plain[0])
                mapper.writes.apply_changes(self, plain[1])
                if hooks is not None:
                    await run_hooks(hooks.after_update, self)
                return
        write = mapper.updates.update_write(
            self, values, fields, ttl, timestamp, if_conditions, if_exists
        )
        with_request_options(
            write.statement, consistency, timeout, serial_consistency, write.conditional
        )
        mapper.writes.finish(self, await mapper.driver.execute_async(write.statement), write)
        if hooks is not None:  # not reached when a conditional UPDATE was not applied
            await run_hooks(hooks.after_update, self)

    async def increment(
        self,
        *,
        consistency: Consistency | str | None = None,
        timeout: float | None = None,
        **deltas: int,
    ) -> None:
        """Add to counter columns (negative deltas subtract)."""
        mapper = mapper_of(self.__class__)
        write = mapper.writes.increment_write(self, deltas)
        if consistency is not None or timeout is not None:
            with_request_options(write.statement, consistency, timeout)
        mapper.writes.finish(self, await mapper.driver.execute_async(write.statement), write)

    async def delete(
        self,
        *,
        timestamp: Any = None,
        if_exists: bool = False,
        if_conditions: Mapping[str, Any] | None = None,
        **options: Unpack[ConditionalOptions],
    ) -> None:
        """DELETE this row; with ``if_exists``/``if_conditions`` raises if not applied."""
        try:  # mapper_of() inlined: this is the hot path (try is free until raised)
            mapper = MAPPERS[self.__class__]
        except KeyError:
            mapper = mapper_of(self.__class__)
        hooks = mapper.hooks
        if hooks is not None:
            await run_hooks(hooks.before_delete, self)
        plain = mapper.writes.plain_delete(self, timestamp, if_exists, if_conditions)
        if plain is not None:  # no option: nothing to check afterwards
            if options:
                request_options(plain, options, "delete", False)
            await mapper.driver.execute_async(plain)
        else:
            write = mapper.writes.delete_write(self, (), timestamp, if_exists, if_conditions)
            if options:
                request_options(write.statement, options, "delete", write.conditional)
            page = await mapper.driver.execute_async(write.statement)
            mapper.writes.finish(self, page, write)
        if hooks is not None:  # not reached when a conditional DELETE was not applied
            await run_hooks(hooks.after_delete, self)

    async def delete_columns(
        self,
        *columns: str,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Delete single columns of this row (they read back as None / empty); at least one."""
        mapper = mapper_of(self.__class__)
        write = mapper.writes.delete_columns_write(self, columns)
        if options:
            request_options(write.statement, options, "delete_columns")
        mapper.writes.finish(self, await mapper.driver.execute_async(write.statement), write)


def _hooks(doc: Any) -> Hooks:
    """The hooks of ``doc``'s own class (none: an empty record)."""
    return getattr(type(doc), "__coodie_hooks__", None) or NO_HOOKS
