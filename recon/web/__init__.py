"""`recon serve`: the analysts' web app, a third thin skin over the store's library functions.

Server-rendered pages (FastAPI + Jinja2, htmx served from the package only to enhance them);
every read and write goes through `recon.store`, which opens the store for one call and
closes it, so the server never holds the DuckDB file between requests (docs/web.md).
"""
