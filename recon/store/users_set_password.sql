-- A user's new password hash (users.set_password); the PASSWORD_SET event is already appended.
UPDATE recon_store.users SET password_hash = $password_hash, changed_at = $now, changed_by = $actor
WHERE name = $name;
