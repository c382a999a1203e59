-- Personal API tokens for the HTTP server (`steward serve`), and module accounts.
--
-- The HTTP server logs in as its own role, steward_http, and acts for exactly
-- the person whose token a request carries: per transaction it sets
-- `steward.token` (transaction-local), and the identity helpers
-- (sql/definitions/01_identity.sql) resolve the person from the token's hash
-- in this table. Without a valid token the server's login is nobody here: it
-- reads nothing and writes nothing. Only the hash of a token is kept; the token
-- itself is shown once, when it is made (steward_api.create_token).

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),   -- sha256 of the token
    prefix        text NOT NULL,                                            -- its first characters, to tell tokens apart
    label         text,
    scope         text NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    uuid REFERENCES users (id),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    revoked_by    uuid REFERENCES users (id),
    last_used_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

-- Module service accounts (lead acquisition, logistics, ...): people whose role
-- lets them post inbound events and nothing else.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('SALES_REP', 'TEAM_LEAD', 'CHAIN_MANAGER', 'ADMIN', 'MODULE'));

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_module') THEN
        CREATE ROLE steward_module NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_http') THEN
        -- Like steward_daemon: can log in where the server trusts local logins
        -- (embedded, CI); on a shared server an admin gives it a password. NOINHERIT:
        -- it holds no privilege of its own; per transaction it takes the group role
        -- of the person whose token it checked (SET LOCAL ROLE), and the policies
        -- and the write API answer for that person only.
        CREATE ROLE steward_http LOGIN NOINHERIT;
    END IF;
END
$$;

GRANT steward_sales_rep, steward_team_lead, steward_chain_manager, steward_admin, steward_module TO steward_http;
