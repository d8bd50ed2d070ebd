"""Getting feeds in: fetch (httpx, bytes only), parse (feedparser, pure) and the pollers."""
