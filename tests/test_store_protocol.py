"""Both kinds of graph store keep the contract written in kg.store_protocol: every method of the read
and the write side, with the same parameters, and `is_local` saying which kind it is."""
import inspect

import pytest

from kg.datadir import Generation
from kg.errors import (
    DataDirError,
    DataDirNotWritable,
    IngestRunning,
    RemoteStoreError,
    RemoteTimeout,
    RemoteUnavailable,
    StorageError,
)
from kg.remote import RemoteEndpoints, RemoteStore
from kg.store import GraphStore
from kg.store_protocol import ReadableStore, WritableStore


def protocol_methods(protocol) -> list[str]:
    return sorted(name for name, member in vars(protocol).items()
                  if inspect.isfunction(member) and not name.startswith("_"))


def parameters(function) -> list[tuple]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.fixture()
def local_store(tmp_path):
    store = GraphStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture()
def remote_store():
    return RemoteStore(RemoteEndpoints("http://127.0.0.1:9/query"))   # never asked: nothing is sent


@pytest.mark.parametrize("kind", ["local_store", "remote_store"])
def test_both_stores_are_readable_and_writable(kind, request):
    store = request.getfixturevalue(kind)
    assert isinstance(store, ReadableStore) and isinstance(store, WritableStore)


@pytest.mark.parametrize("implementation", [GraphStore, RemoteStore])
@pytest.mark.parametrize("protocol", [ReadableStore, WritableStore])
def test_every_method_has_the_protocols_parameters(implementation, protocol):
    for name in protocol_methods(protocol):
        assert parameters(getattr(implementation, name)) == parameters(getattr(protocol, name)), name


def test_the_write_side_adds_to_the_read_side():
    assert set(protocol_methods(ReadableStore)).isdisjoint(protocol_methods(WritableStore))
    assert {"select", "construct", "named_graphs"} <= set(protocol_methods(ReadableStore))
    assert {"replace_graph", "remove_graph", "rebuild_default_graph"} == set(protocol_methods(WritableStore))


def test_a_store_says_whether_it_is_local(local_store, remote_store):
    assert local_store.is_local and local_store.path is not None
    assert not remote_store.is_local and remote_store.path is None


def test_something_else_is_not_a_store():
    assert not isinstance(object(), ReadableStore)


def test_a_generation_knows_whether_it_has_a_store(tmp_path):
    generation = Generation(tmp_path / "generation")
    assert not generation.has_store()
    with pytest.raises(DataDirError, match="no graph store"):
        generation.open_store(read_only=True)
    generation.open_store(read_only=False).close()
    assert generation.has_store()
    generation.open_store(read_only=True).close()


def test_a_remote_store_error_is_a_storage_error_not_a_data_directory_one():
    assert all(issubclass(kind, DataDirError) for kind in (IngestRunning, DataDirNotWritable))
    assert all(issubclass(kind, RemoteStoreError) for kind in (RemoteTimeout, RemoteUnavailable))
    assert issubclass(DataDirError, StorageError) and issubclass(RemoteStoreError, StorageError)
    assert not issubclass(RemoteStoreError, DataDirError)
