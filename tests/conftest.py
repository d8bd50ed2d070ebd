"""Fixtures shared by the tests of fetching, parsing and the pipeline: a loopback feed server and a store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer

from monitor.store import Store


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    """A feed server on 127.0.0.1 (port 0), running on the test's event loop."""
    srv = await FeedServer().start()
    yield srv
    await srv.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real store in the test's own directory; its recovery messages are not wanted here."""
    with Store.open(tmp_path / "data", warn=lambda _msg: None) as opened:
        yield opened
