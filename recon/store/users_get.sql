-- One user by name: exactly, or (to refuse a second "Alice" beside "alice") ignoring case.
SELECT name, role, password_hash, disabled, created_at, changed_at
FROM recon_store.users
WHERE CASE WHEN $exact::BOOLEAN THEN name = $name::VARCHAR
           ELSE lower(name) = lower($name::VARCHAR) END
ORDER BY name
LIMIT 1;
