# Local type stub: only the part of feedparser's API that situation-room uses.
from collections.abc import Mapping
from typing import IO, Any

__version__: str
USER_AGENT: str
RESOLVE_RELATIVE_URIS: int
SANITIZE_HTML: int

class FeedParserDict(dict[str, Any]):
    def __getattr__(self, key: str) -> Any: ...

def parse(
    url_file_stream_or_string: IO[bytes],
    etag: str | None = None,
    modified: str | None = None,
    agent: str | None = None,
    referrer: str | None = None,
    handlers: list[Any] | None = None,
    request_headers: Mapping[str, str] | None = None,
    response_headers: Mapping[str, str] | None = None,
    resolve_relative_uris: bool | None = None,
    sanitize_html: bool | None = None,
) -> FeedParserDict: ...
