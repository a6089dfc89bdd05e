-- How many users the store has (none: no roles are checked) and how many enabled admins.
SELECT count(*) AS users,
       count(*) FILTER (WHERE role = 'admin' AND NOT disabled) AS enabled_admins
FROM recon_store.users;
