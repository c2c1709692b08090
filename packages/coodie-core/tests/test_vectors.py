"""Vector columns, SAI indexes and ANN search without a database: the CQL types and DDL,
which filters an SAI index serves (checked against Cassandra 5.0.9), the ANN statement and
its bound values, and what is refused before sending."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import pytest
from pydantic import Field, ValidationError

from coodie import BigInt, ClusteringKey, Double, Frozen, Indexed, PrimaryKey, Vector
from coodie.exceptions import CoodieWarning, InvalidQueryError, SchemaError, UnsupportedTypeError
from coodie.model.schema import build_schema
from coodie.model.types import cql_type_for
from coodie.sync import Document, ScoredQuerySet

if TYPE_CHECKING:
    from coodie.testing import RecordingDriver

COSINE = {"similarity_function": "cosine"}


class Doc(Document):
    shop: Annotated[str, PrimaryKey()]
    sku: Annotated[int, ClusteringKey()]
    embedding: Annotated[list[float], Vector(3), Indexed(using="sai", options=COSINE)]
    price: Annotated[int, Indexed(using="sai")] = 0
    name: Annotated[str, Indexed(using="sai", options={"case_sensitive": False})] = ""
    tags: Annotated[set[str], Indexed(using="sai")] = Field(default_factory=set)
    attrs: Annotated[dict[str, int], Indexed(using="sai", target="keys")] = Field(
        default_factory=dict
    )
    sizes: Annotated[list[int], Frozen(), Indexed(using="sai", target="full")] = Field(
        default_factory=list
    )
    legacy: Annotated[int, Indexed()] = 0
    shelf: Annotated[set[int], Frozen(), Indexed(using="sai")] = Field(default_factory=set)
    raw: Annotated[list[float], Vector(2)] | None = None
    plain: int = 0


COLS = "shop, sku, embedding, price, name, tags, attrs, sizes, legacy, shelf, raw, plain"
SELECT = f"SELECT {COLS} FROM test.doc"


@pytest.mark.parametrize(
    ("annotation", "cql"),
    [
        (Annotated[list[float], Vector(384)], "vector<float, 384>"),
        (Annotated[list[Annotated[float, Double()]], Vector(2)], "vector<double, 2>"),
        (Annotated[list[int], Vector(4)], "vector<int, 4>"),
        (Annotated[list[Annotated[int, BigInt()]], Vector(4)], "vector<bigint, 4>"),
    ],
)
def test_vector_annotations_map_to_cql_vectors(annotation: Any, cql: str) -> None:
    assert cql_type_for(annotation).cql == cql


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (Annotated[list[str], Vector(3)], "A vector holds float"),
        (Annotated[set[float], Vector(3)], "Vector\\(n\\) goes on a list field"),
        (Annotated[list[float], Vector(0)], "needs a positive int dimension"),
        (list[Annotated[list[float], Vector(3)]], "Vector\\(n\\) goes on a list field"),
    ],
)
def test_unsupported_vector_annotations_are_refused(annotation: Any, message: str) -> None:
    with pytest.raises(UnsupportedTypeError, match=message):
        cql_type_for(annotation, model="M", field="v")


def test_a_vector_of_the_wrong_dimension_fails_when_the_model_is_built() -> None:
    with pytest.raises(ValidationError, match="dimension 3 needs exactly 3 values, got 2"):
        Doc(shop="s", sku=1, embedding=[1.0, 2.0])


def test_sync_table_creates_sai_indexes_with_their_options(driver: RecordingDriver) -> None:
    Doc.sync_table()
    create = next(cql for cql in driver.cql if cql.startswith("CREATE TABLE"))
    assert "embedding vector<float, 3>" in create
    assert "raw vector<float, 2>" in create
    assert sorted(cql for cql in driver.cql if cql.startswith("CREATE INDEX")) == [
        "CREATE INDEX IF NOT EXISTS doc_attrs_idx ON test.doc (KEYS(attrs)) USING 'sai'",
        "CREATE INDEX IF NOT EXISTS doc_embedding_idx ON test.doc (embedding) USING 'sai' "
        "WITH OPTIONS = {'similarity_function': 'cosine'}",
        "CREATE INDEX IF NOT EXISTS doc_legacy_idx ON test.doc (legacy)",
        "CREATE INDEX IF NOT EXISTS doc_name_idx ON test.doc (name) USING 'sai' "
        "WITH OPTIONS = {'case_sensitive': 'false'}",
        "CREATE INDEX IF NOT EXISTS doc_price_idx ON test.doc (price) USING 'sai'",
        "CREATE INDEX IF NOT EXISTS doc_shelf_idx ON test.doc (FULL(shelf)) USING 'sai'",
        "CREATE INDEX IF NOT EXISTS doc_sizes_idx ON test.doc (FULL(sizes)) USING 'sai'",
        "CREATE INDEX IF NOT EXISTS doc_tags_idx ON test.doc (tags) USING 'sai'",
    ]


def _model(**fields: Any) -> type:
    annotations = {"id": Annotated[int, PrimaryKey()], **fields}
    return type("Bad", (Document,), {"__annotations__": annotations, "__module__": __name__})


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (Annotated[int, Indexed(using="lucene")], "using='lucene'\\) is invalid"),  # type: ignore[arg-type]
        (Annotated[int, Indexed(options={"a": "b"})], 'options=...\\) needs using="sai"'),
        (
            Annotated[list[float], Vector(2), Indexed()],
            "a vector column can only have a Storage-Attached Index",
        ),
        (
            Annotated[int, Indexed(using="sai", options=COSINE)],
            "similarity_function option applies to Vector columns only",
        ),
        (
            Annotated[
                list[float],
                Vector(2),
                Indexed(using="sai", options={"similarity_function": "manhattan"}),
            ],
            "similarity_function 'manhattan' is not one of cosine, euclidean, dot_product",
        ),
        (Annotated[list[int], Indexed(target="full")], 'target="full"\\) applies to frozen'),
    ],
)
def test_bad_index_declarations_are_schema_errors(annotation: Any, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        build_schema(_model(v=annotation))


@pytest.mark.parametrize(
    ("filters", "where"),
    [
        ({"price__gte": 1, "price__lt": 5}, "price >= ? AND price < ?"),
        ({"price": 3, "name": "x"}, "price = ? AND name = ?"),
        ({"tags__contains": "t"}, "tags CONTAINS ?"),
        ({"attrs__contains_key": "k"}, "attrs CONTAINS KEY ?"),
        ({"sizes": [1, 2]}, "sizes = ?"),
        ({"shelf": {1, 2}}, "shelf = ?"),
        ({"shop": "s", "sku__gt": 1, "price": 2}, "shop = ? AND sku > ? AND price = ?"),
    ],
)
def test_filters_an_sai_index_serves_need_no_allow_filtering(
    driver: RecordingDriver, filters: dict[str, Any], where: str
) -> None:
    Doc.find(**filters).all()
    assert driver.last.cql == f"{SELECT} WHERE {where}"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("filters", "reason"),
    [
        ({"name__gt": "a"}, "column 'name' is not part of the primary key and cannot use its"),
        ({"price__in": [1, 2]}, "column 'price' is not part of the primary key and cannot use"),
        ({"price": 1, "plain": 2}, "column 'plain' is not part of the primary key and is not"),
        ({"attrs__contains": 1}, "column 'attrs' is not part of the primary key and cannot use"),
        ({"sizes__contains": 1}, "column 'sizes' is not part of the primary key and cannot use"),
        ({"shelf__contains": 1}, "column 'shelf' is not part of the primary key and cannot use"),
        ({"sku__gt": 1, "price": 2}, "clustering column 'sku' is restricted without the full"),
        ({"price": 2, "legacy": 3}, "column 'legacy' is not part of the primary key and has a"),
    ],
)
def test_filters_sai_does_not_serve_still_need_allow_filtering(
    driver: RecordingDriver, filters: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidQueryError, match=f"needs allow_filtering\\(\\) because {reason}"):
        Doc.find(**filters).all()
    assert driver.statements == []


def test_ann_search_statement_and_values(driver: RecordingDriver) -> None:
    Doc.find(price__lt=9).order_by_ann("embedding", [1, 0, 0.5]).limit(5).all()
    statement: Any = driver.last
    assert statement.cql == f"{SELECT} WHERE price < ? ORDER BY embedding ANN OF ? LIMIT ?"
    assert statement.values == [9, [1.0, 0.0, 0.5], 5]


def test_ann_search_with_scores(driver: RecordingDriver) -> None:
    driver.queue_rows(
        [*COLS.split(", "), "similarity"],
        [("s", 1, [1.0, 0.0, 0.0], 0, "", None, None, None, 0, None, None, 0, 0.75)],
    )
    query = Doc.find(shop="s").order_by_ann("embedding", [1.0, 0.0, 0.0]).limit(2)
    scored = query.with_similarity("dot_product")
    assert isinstance(scored, ScoredQuerySet)
    ((doc, score),) = scored.all()
    statement: Any = driver.last
    assert statement.cql == (
        f"SELECT {COLS}, similarity_dot_product(embedding, ?) AS similarity FROM test.doc "
        "WHERE shop = ? ORDER BY embedding ANN OF ? LIMIT ?"
    )
    assert statement.values == [[1.0, 0.0, 0.0], "s", [1.0, 0.0, 0.0], 2]
    assert (doc.shop, doc.embedding, doc.tags, score) == ("s", [1.0, 0.0, 0.0], set(), 0.75)


def test_with_similarity_defaults_to_the_index_function(driver: RecordingDriver) -> None:
    Doc.find().order_by_ann("embedding", [1.0, 0.0, 0.0]).limit(1).with_similarity().all()
    assert "similarity_cosine(embedding, ?)" in driver.last.cql  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Doc.find().order_by_ann("embedding", [1.0, 0.0, 0.0]).all(), "needs a limit"),
        (
            lambda: Doc.find(plain=1).order_by_ann("embedding", [1.0, 0, 0]).limit(1).all(),
            "plain is neither",
        ),
        (
            lambda: Doc.find(legacy=1).order_by_ann("embedding", [1.0, 0, 0]).limit(1).all(),
            "legacy is neither",
        ),
        (
            lambda: (
                Doc.find(shop__in=["a", "b"]).order_by_ann("embedding", [1.0, 0, 0]).limit(1).all()
            ),
            "shop is neither",
        ),
        (
            lambda: (
                Doc.find(shop="a")
                .order_by("sku")
                .order_by_ann("embedding", [1.0, 0, 0])
                .limit(1)
                .all()
            ),
            "cannot be combined with order_by",
        ),
        (lambda: Doc.find().order_by_ann("raw", [1.0, 0.0]), "needs an SAI index on raw"),
        (lambda: Doc.find().order_by_ann("price", [1.0]), "needs a Vector column"),
        (lambda: Doc.find().order_by_ann("nope", [1.0]), "has no column 'nope'"),
        (
            lambda: Doc.find().order_by_ann("embedding", [1.0, 2.0]),
            r"Doc\.embedding: .*dimension 3 needs exactly 3 values, got 2",
        ),
        (
            lambda: Doc.find().order_by_ann("embedding", ["a", 1.0, 2.0]),
            r"Doc\.embedding: .*not a valid value for a vector<float, 3> column",
        ),
        (lambda: Doc.find().with_similarity(), "call order_by_ann\\(column, vector\\) first"),
        (
            lambda: Doc.find().order_by_ann("embedding", [1.0, 0, 0]).with_similarity("l1"),  # type: ignore[arg-type]
            "with_similarity\\('l1'\\) is not one of",
        ),
    ],
)
def test_ann_refusals_name_the_fix(driver: RecordingDriver, build: Any, message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        build()
    assert driver.statements == []


def test_vector_filters_are_refused(driver: RecordingDriver) -> None:
    with pytest.raises(InvalidQueryError, match="needs allow_filtering"):
        Doc.find(embedding=[1.0, 0.0, 0.0]).all()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1.0, 2.0], "a vector of dimension 3 needs exactly 3 values, got 2"),
        ([1.0, "x", 2.0], "not a valid value for a vector<float, 3> column"),
        ([1.0, 3.5e38, 2.0], "too large for 32 bits"),
        ([1.0, None, 2.0], "not a valid value for a vector<float, 3> column"),
    ],
)
def test_wrong_vectors_are_refused_before_a_write(
    driver: RecordingDriver, value: Any, message: str
) -> None:
    doc = Doc(shop="s", sku=1, embedding=[0.0, 0.0, 0.0])
    doc.embedding = value
    with pytest.raises(InvalidQueryError, match=r"Doc\.embedding: .*" + message):
        doc.save()
    with pytest.raises(InvalidQueryError, match=r"Doc\.embedding: .*" + message):
        Doc.find(shop="s", sku=1).update(embedding=value)
    assert driver.statements == []


def test_a_right_vector_is_written_as_a_list(driver: RecordingDriver) -> None:
    Doc(shop="s", sku=1, embedding=[1, 2, 3]).save()
    assert [1.0, 2.0, 3.0] in driver.last.values  # type: ignore[union-attr]


def test_schema_drift_compares_vector_dimensions() -> None:
    from coodie.mapping.schema_drift import LiveColumn, check_drift

    schema = build_schema(Doc)
    live = {
        c.name: LiveColumn(
            c.name,
            "partition_key"
            if c.is_partition_key
            else "clustering"
            if c.is_clustering_key
            else "regular",
            0,
            "asc" if c.is_clustering_key else "none",
            c.cql_type.cql,
        )
        for c in schema.columns
    }
    check_drift(schema, "test", live)
    live["embedding"] = live["embedding"]._replace(type="vector<float, 4>")
    with pytest.raises(SchemaError, match="'embedding' is vector<float, 4> in the table"):
        check_drift(schema, "test", live)


def test_ann_search_of_plain_rows(driver: RecordingDriver) -> None:
    query = Doc.find().values_list("sku", flat=True)
    query.order_by_ann("embedding", [1.0, 0.0, 0.0]).limit(2).all()
    statement: Any = driver.last
    assert statement.cql == "SELECT sku FROM test.doc ORDER BY embedding ANN OF ? LIMIT ?"
    assert statement.values == [[1.0, 0.0, 0.0], 2]


def _queue_live_table(driver: RecordingDriver, index_options: dict[str, dict[str, str]]) -> None:
    kinds = {"shop": "partition_key", "sku": "clustering"}
    schema = build_schema(Doc)
    driver.queue_rows(
        ["column_name", "kind", "position", "clustering_order", "type"],
        [
            (
                c.name,
                kinds.get(c.name, "regular"),
                0,
                "asc" if c.is_clustering_key else "none",
                c.cql_type.cql,
            )
            for c in schema.columns
        ],
    )
    names = [schema.index_name(c) for c in schema.indexed_columns]
    driver.queue_rows(["index_name"], [(n,) for n in names])
    live = {n: {"class_name": "sai", "target": "x"} for n in names}
    live["doc_legacy_idx"] = {"target": "legacy"}
    live["doc_embedding_idx"]["similarity_function"] = "cosine"
    live["doc_name_idx"]["case_sensitive"] = "false"
    for name, options in index_options.items():
        live[name] = options
    driver.queue_rows(["index_name", "options"], list(live.items()))


def test_sync_table_reads_sai_options_and_is_quiet_when_they_match(
    driver: RecordingDriver,
) -> None:
    _queue_live_table(driver, {})
    assert Doc.sync_table() == []
    assert "system_schema.indexes" in driver.cql[-1]
    assert "options" in driver.cql[-1]


def test_an_sai_index_that_differs_is_reported_then_rebuilt_on_request(
    driver: RecordingDriver,
) -> None:
    changed = {
        "doc_price_idx": {"class_name": "CompositesIndex", "target": "price"},
        "doc_embedding_idx": {"class_name": "sai", "similarity_function": "euclidean"},
    }
    _queue_live_table(driver, changed)
    with pytest.warns(CoodieWarning) as caught:
        assert Doc.sync_table() == []
    message = str(caught[0].message)
    assert "doc_price_idx: it is a legacy secondary index in the table" in message
    assert "similarity_function='euclidean' in the table, 'cosine' in the model" in message
    assert "drop_removed_indexes=True" in message
    driver.reset()
    _queue_live_table(driver, changed)
    planned = Doc.sync_table(drop_removed_indexes=True)
    assert planned[:2] == [
        "DROP INDEX IF EXISTS test.doc_embedding_idx",
        "DROP INDEX IF EXISTS test.doc_price_idx",
    ]
    assert sorted(planned[2:]) == [
        "CREATE INDEX IF NOT EXISTS doc_embedding_idx ON test.doc (embedding) USING 'sai' "
        "WITH OPTIONS = {'similarity_function': 'cosine'}",
        "CREATE INDEX IF NOT EXISTS doc_price_idx ON test.doc (price) USING 'sai'",
    ]
