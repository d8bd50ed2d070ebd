"""Getting feeds in: fetch (httpx, bytes only), parse (feedparser, pure) and the pollers."""

import sys

# Whenever click is installed (the notify extra brings it), httpx imports its command-line client,
# and with it click, rich and pygments: 60 ms of every start-up, for a client nothing here runs.
# None in sys.modules makes that one import fail, and httpx falls back to its stub ``main``.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
