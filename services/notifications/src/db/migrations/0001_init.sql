-- The notifications service's tables: the inbox (one row per notification), the authors
-- projection that gives a notification its actor at read time, tombstones of erased users, and
-- the latest known state of every follow, like and comment that can cause a notification.

create table notifications (
  -- UUIDv7, so time-ordered: the order of lists and replays, the cursor, and the stream's event id.
  id uuid primary key,
  recipient_id uuid not null,
  type text not null check (type in ('follow', 'like', 'comment', 'order', 'payment')),
  -- Null for what nobody in particular did (orders, payments).
  actor_id uuid,
  subject_type text not null check (subject_type in ('user', 'post', 'comment', 'order', 'payment')),
  subject_id uuid not null,
  -- The event that caused it: even a redelivery that slips past processed_events can't duplicate it.
  event_id uuid not null unique,
  read_at timestamptz,
  created_at timestamptz not null,
  -- Nobody is notified of their own actions.
  constraint notifications_not_self check (actor_id is null or actor_id <> recipient_id)
);
create index notifications_inbox on notifications (recipient_id, id desc);
create index notifications_unread on notifications (recipient_id, id desc) where read_at is null;
create index notifications_by_actor on notifications (actor_id) where actor_id is not null;
create index notifications_by_subject on notifications (subject_id);
-- One notification per actor and thing: liking, unliking and liking again tells the recipient
-- once (unless the first was taken back while unread, which deletes it).
create unique index notifications_once on notifications (recipient_id, type, actor_id, subject_type, subject_id) where actor_id is not null;

-- Actor summaries, from user.registered and profile.updated (the whole profile, last write wins).
create table authors (
  user_id uuid primary key,
  username text not null,
  display_name text not null,
  avatar_url text,
  -- occurredAt of the profile.updated applied last; an older one arriving late is ignored.
  -- Null while only user.registered has been seen.
  profile_at timestamptz
);

-- An erased user stays erased: events about them delivered after user.deleted change nothing.
create table erased_users (
  user_id uuid primary key,
  erased_at timestamptz not null
);

-- The latest change applied to each (kind, target, actor): follow (target: the followee), post_like
-- and comment_like (the post or comment), comment (the comment, actor its author). Delivery is
-- unordered, so a change applies only when newer than the one recorded: an unlike that overtakes
-- its like leaves an inactive row, and the late like then notifies nobody.
create table activity (
  kind text not null check (kind in ('follow', 'post_like', 'comment_like', 'comment')),
  target_id uuid not null,
  actor_id uuid not null,
  active boolean not null,
  at timestamptz not null,
  primary key (kind, target_id, actor_id)
);
create index activity_by_actor on activity (actor_id);
