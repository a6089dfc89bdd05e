-- A new user (users.add_user); its USER_ADDED event is appended in the same transaction.
INSERT INTO recon_store.users (name, role, password_hash, disabled, created_at, created_by)
VALUES ($name, $role, $password_hash, false, $now, $actor);
