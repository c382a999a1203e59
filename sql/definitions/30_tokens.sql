-- Personal API tokens, the HTTP server's way to act for a person (`steward serve`,
-- services/entrypoints/http), and inbound events from other modules' accounts.
--
-- A token is `stw_` and 64 hex digits (244 random bits from gen_random_uuid, the
-- server's strong random source). Only its sha256 is kept (api_tokens, migration
-- 0030); the token itself is returned once, by create_token. The server's login
-- steward_http sets a request's token per transaction (`steward.token`,
-- transaction-local) and takes the person's group role; from then on every policy
-- and every write API function sees that person, through the one function that
-- says who is calling (steward_internal.person, 01_identity.sql). A token counts
-- in the server's session only; in anyone else's, setting `steward.token` does
-- nothing.
--
-- Tokens are made only by a person logged in as themselves (their own login, the
-- owner, the daemon): never over HTTP, so a token that leaks cannot mint itself
-- a longer-lived successor. Admins make and revoke tokens for anyone; everyone
-- else for themselves.

-- Make a token for a person; the answer holds the token, which nothing keeps.
CREATE OR REPLACE FUNCTION steward_api.create_token(
    p_login text, p_scope text DEFAULT 'read', p_expires_at timestamptz DEFAULT NULL, p_label text DEFAULT NULL,
    p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    u public.users;
    v_token text;
    v_row public.api_tokens;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF session_user = 'steward_http' THEN
        PERFORM steward_internal.fail('SW403',
            'API tokens are made by a person logged in as themselves (steward tokens create), not over HTTP.');
    END IF;
    SELECT * INTO u FROM public.users WHERE login = p_login;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no user ''%s''.', left(p_login, 100)));
    END IF;
    IF u.id IS DISTINCT FROM me.user_id THEN
        PERFORM steward_internal.require_admin(me.role, 'make API tokens for someone else');
    END IF;
    IF NOT u.active THEN
        PERFORM steward_internal.invalid(format('The user %s is disabled.', u.login), jsonb_build_object('user', 'disabled'));
    END IF;
    PERFORM steward_internal.one_of(p_scope, 'scope', ARRAY['read', 'write']);
    IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
        PERFORM steward_internal.invalid('The token would expire before it is used.',
                                         jsonb_build_object('expires', 'must lie in the future'));
    END IF;
    v_token := 'stw_' || encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'hex');
    INSERT INTO public.api_tokens (user_id, token_hash, prefix, label, scope, created_by, expires_at)
    VALUES (u.id, sha256(convert_to(v_token, 'UTF8')), left(v_token, 12),
            steward_internal.clean_text(p_label, 'label', 200, false), p_scope, me.user_id, p_expires_at)
    RETURNING * INTO v_row;
    PERFORM steward_internal.emit(me.actor, 'api_token.created', NULL, jsonb_build_object(
        'tokenId', v_row.id, 'userId', u.id, 'login', u.login, 'scope', p_scope, 'expiresAt', p_expires_at));
    RETURN jsonb_build_object('id', v_row.id, 'token', v_token, 'prefix', v_row.prefix, 'login', u.login,
                              'scope', v_row.scope, 'label', v_row.label, 'created_at', v_row.created_at,
                              'expires_at', v_row.expires_at);
END
$$;

-- Revoke a token (admins any, everyone else their own); at once, for every request after.
CREATE OR REPLACE FUNCTION steward_api.revoke_token(p_token uuid, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    t public.api_tokens;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    SELECT * INTO t FROM public.api_tokens WHERE id = p_token FOR UPDATE;
    IF NOT FOUND OR (t.user_id IS DISTINCT FROM me.user_id AND me.role IS DISTINCT FROM 'ADMIN') THEN
        PERFORM steward_internal.fail('SW404', format('There is no API token %s of yours.', p_token));
    END IF;
    IF t.revoked_at IS NULL THEN
        UPDATE public.api_tokens SET revoked_at = now(), revoked_by = me.user_id WHERE id = t.id RETURNING * INTO t;
        PERFORM steward_internal.emit(me.actor, 'api_token.revoked', NULL, jsonb_build_object(
            'tokenId', t.id, 'userId', t.user_id));
    END IF;
    RETURN jsonb_build_object('id', t.id, 'prefix', t.prefix, 'revoked_at', t.revoked_at);
END
$$;

-- For the HTTP server's login only: the person a token stands for, or no row.
-- The server calls it at the start of each transaction, in the statement that
-- sets the token and takes the person's group role (services/entrypoints/http/
-- identity.py), so a token revoked or expired a moment ago acts no more. Notes
-- when a token was last used (at most once a minute, never waiting for a lock).
CREATE OR REPLACE FUNCTION public.steward_token_person(p_token text)
RETURNS TABLE (user_id uuid, login text, display_name text, role text, region text, scope text,
               group_role text, token_id uuid, expires_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t public.api_tokens;
    u public.users;
BEGIN
    IF session_user <> 'steward_http' OR p_token IS NULL OR length(p_token) > 200 THEN
        RETURN;
    END IF;
    SELECT * INTO t FROM public.api_tokens
     WHERE token_hash = sha256(convert_to(p_token, 'UTF8'))
       AND revoked_at IS NULL AND (api_tokens.expires_at IS NULL OR api_tokens.expires_at > now());
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO u FROM public.users WHERE id = t.user_id AND active;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' THEN
        UPDATE public.api_tokens SET last_used_at = now()
         WHERE id = (SELECT a.id FROM public.api_tokens a WHERE a.id = t.id FOR UPDATE SKIP LOCKED);
    END IF;
    user_id := u.id; login := u.login; display_name := u.display_name; role := u.role; region := u.region;
    scope := t.scope; group_role := 'steward_' || lower(u.role); token_id := t.id; expires_at := t.expires_at;
    RETURN NEXT;
END
$$;

-- An inbound envelope, queued for the daemon: the queue step of
-- services/service_layer/events/inbox.receive() for those who may not write the
-- inbox themselves (module accounts over HTTP). The caller has checked the
-- envelope (the same validation as `steward events ingest`). Returns the inbox
-- position, or NULL when the event id is already pending or done (received).
CREATE OR REPLACE FUNCTION steward_api.receive_event(p_envelope jsonb, p_origin text DEFAULT NULL,
                                                     p_context jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
    v_position bigint;
BEGIN
    SELECT * INTO c FROM steward_internal.caller();
    IF c.role IS NULL OR NOT c.active OR c.role NOT IN ('ADMIN', 'MODULE') THEN
        PERFORM steward_internal.fail('SW403', 'Only admins and module accounts post inbound events.');
    END IF;
    IF c.scope IS DISTINCT FROM 'write' THEN
        PERFORM steward_internal.fail('SW403', 'This API token may only read; posting events needs scope write.');
    END IF;
    IF p_envelope IS NULL OR jsonb_typeof(p_envelope) <> 'object' OR public.inbox_event_id(p_envelope) IS NULL THEN
        PERFORM steward_internal.invalid('An inbound envelope is a JSON object with a UUID id.',
                                         jsonb_build_object('id', 'must be a UUID'));
    END IF;
    INSERT INTO public.event_inbox (position, envelope, origin)
    VALUES (nextval('public.event_inbox_position_seq'::regclass), p_envelope,
            left(coalesce(p_origin, (SELECT p.login FROM steward_internal.person() p), session_user::text), 200))
    ON CONFLICT (event_id) WHERE state IN ('pending', 'done') DO NOTHING
    RETURNING position INTO v_position;
    RETURN v_position;
END
$$;
