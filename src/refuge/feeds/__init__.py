"""Fetching the news: polite HTTP (robots.txt, per-host pacing, conditional requests, size and
time limits) and reading RSS/Atom feeds or plain pages into article links. No storage here:
``refuge.services.feeds`` keeps the feeds and turns articles into ingest jobs."""
