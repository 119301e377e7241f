-- Identity's tables: accounts, sessions (refresh-token families), password-reset tokens and the
-- access-token signing keys. Secrets a client presents (refresh and reset tokens) are stored only
-- as SHA-256 hashes; passwords only as Argon2id hashes.

create table users (
  id uuid primary key,
  email text not null,
  username text not null,
  display_name text not null,
  password_hash text not null,
  roles text[] not null default '{user}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Named, because registration maps a violation of each to its own 409 code.
  constraint users_email_key unique (email),
  constraint users_username_key unique (username),
  constraint users_roles_valid check (roles <@ array['user', 'seller', 'admin']::text[] and 'user' = any (roles))
);

-- One row per session; its refresh tokens are a family (RFC 9700 §4.14.2).
create table sessions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  -- Absolute lifetime: rotation never extends it.
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_live_by_user on sessions (user_id) where revoked_at is null;
create index sessions_expires_at on sessions (expires_at);

create table refresh_tokens (
  token_hash text primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null,
  -- Set once, atomically, when the token is rotated; a spent token presented again is reuse.
  spent_at timestamptz
);
create index refresh_tokens_by_session on refresh_tokens (session_id);

create table password_reset_tokens (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_tokens_unused_by_user on password_reset_tokens (user_id) where used_at is null;
create index password_reset_tokens_expires_at on password_reset_tokens (expires_at);

-- Ed25519 keys as JWKs. A key is published from creation until retired and signs from active_from.
create table signing_keys (
  kid text primary key,
  private_jwk jsonb not null,
  public_jwk jsonb not null,
  created_at timestamptz not null,
  active_from timestamptz not null,
  retired_at timestamptz
);
