-- Least privilege for a PostgreSQL store (docs/store.md, "Roles"). Run once per store
-- database, after `recon store migrate`, by the role that owns the store's tables, which
-- needs CREATEROLE (or let a DBA run it): `recon store roles | psql -d DB -v ON_ERROR_STOP=1`.
-- It makes three group roles that cannot log in; people and services log in as their own
-- roles, members of one (`CREATE ROLE nightly LOGIN PASSWORD '...' IN ROLE recon_batch`).
-- Nothing but the owner may change the schema, and the audit log (recon.events) is
-- append-only for everyone: no role is granted UPDATE, DELETE or TRUNCATE on it, and a
-- trigger (schema_v5.sql) refuses them even to the owner.
DO $$
BEGIN
    CREATE ROLE recon_batch NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE ROLE recon_web NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE ROLE recon_auditor NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
REVOKE ALL ON SCHEMA recon FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA recon FROM PUBLIC, recon_batch, recon_web, recon_auditor;
GRANT USAGE ON SCHEMA recon TO recon_batch, recon_web, recon_auditor;
-- everyone reads everything: runs, the web app and `recon audit verify` read the whole store
GRANT SELECT ON ALL TABLES IN SCHEMA recon TO recon_batch, recon_web, recon_auditor;
-- the nightly batch and incident reruns (`recon run`, `recon nightly`, `recon incident`):
-- records runs, their findings, evidence, suggestions and double-credit alerts
GRANT INSERT ON recon.runs, recon.run_files, recon.run_counts, recon.exceptions, recon.events,
    recon.sightings, recon.incident_tags, recon.evidence_rows, recon.suggestions,
    recon.suggestion_history, recon.alerts TO recon_batch;
GRANT UPDATE ON recon.runs, recon.exceptions, recon.suggestions TO recon_batch;
GRANT DELETE ON recon.evidence_rows TO recon_batch;
-- the analysts (`recon serve`, and `recon exceptions|users|corrections|compensation|alerts`
-- from their desks): change exceptions, users, proposals and alerts, append events, attach
GRANT INSERT ON recon.events, recon.users, recon.attachments, recon.proposals TO recon_web;
GRANT UPDATE ON recon.exceptions, recon.users, recon.proposals, recon.alerts TO recon_web;
-- after an incident (schema 6): customers' notices and the regulator's report's versions
GRANT INSERT, UPDATE ON recon.notices TO recon_web;
GRANT INSERT ON recon.incident_reports TO recon_web;
-- auditors: SELECT only (above)
-- the store's approval limit (`recon approvals set`, an admin's act through recon_web) is a
-- row of store_info: a row-level policy lets recon_web write that row and no other, so the
-- schema version stays the owner's (the owner, who runs migrations, is not subject to it)
GRANT INSERT, UPDATE, DELETE ON recon.store_info TO recon_web;
ALTER TABLE recon.store_info ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS store_info_read ON recon.store_info;
CREATE POLICY store_info_read ON recon.store_info FOR SELECT USING (true);
DROP POLICY IF EXISTS store_info_approval_limit ON recon.store_info;
CREATE POLICY store_info_approval_limit ON recon.store_info TO recon_web
    USING (key = 'approvals_admin_above') WITH CHECK (key = 'approvals_admin_above');
