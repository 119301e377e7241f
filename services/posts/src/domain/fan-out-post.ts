/**
 * Fan-out on write, run by this service's own post.created consumer: one feed entry per active
 * follower, written by one statement. An author with FEED_FANOUT_LIMIT followers or more is not
 * fanned out (one post must not mean a million writes): the post keeps fanned_out = false and
 * their followers' home timelines merge it in when read. The decision is made once per post.
 */
import type { Tx } from '@agora/kit/db/database';
import { fanOut } from '../db/feed.repository.ts';
import { lockFollowerCount } from '../db/follows.repository.ts';
import { lockPost, markFannedOut } from '../db/posts.repository.ts';

export async function fanOutPost(tx: Tx, postId: string, fanOutLimit: number): Promise<'fanned-out' | 'over-limit' | 'skipped'> {
  // Locked first: a deletion in flight either finishes before (the post is gone) or waits.
  const post = await lockPost(tx, postId);
  if (!post || post.fannedOut) return 'skipped';
  // Locked second: no follower comes or goes between counting and writing.
  const followers = await lockFollowerCount(tx, post.authorId);
  if (followers >= fanOutLimit) return 'over-limit';
  await fanOut(tx, post);
  await markFannedOut(tx, post.id);
  return 'fanned-out';
}
