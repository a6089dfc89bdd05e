-- Every user of the store, by name (no hashes leave the library: users.User has none).
SELECT name, role, password_hash, disabled, created_at, changed_at
FROM recon_store.users
ORDER BY name;
