-- The store's schema version (NULL when store_info has none).
SELECT max(value) FROM recon_store.store_info WHERE key = 'schema_version';
