-- Disable a user (users.disable_user); the USER_DISABLED event is already appended.
UPDATE recon_store.users SET disabled = true, changed_at = $now, changed_by = $actor
WHERE name = $name;
