"""The exception store on PostgreSQL (issue 13; docs/store.md, "PostgreSQL").

psycopg 3 talks to the server; the store's tables live in schema `recon`, the same tables and
columns as the DuckDB file. `connection` opens a store and checks its schema, `migrate` brings
it to the current schema, `mirror` reads it into a DuckDB catalog for the store's DuckDB SQL
(audit verification), `copy` moves a DuckDB store into it with its whole history.
"""
