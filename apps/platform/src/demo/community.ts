/**
 * A demo community: people, who follows whom, and what they post, like and comment. Generated
 * from a seed so every load of the same size is the same community; or built from an edge list
 * (a social graph such as socfb-Reed98, where each friendship is followed both ways).
 */
import { readFile } from 'node:fs/promises';

export interface DemoPerson {
  username: string;
  displayName: string;
}

export interface DemoPost {
  author: number;
  text: string;
}

export interface Community {
  people: DemoPerson[];
  /** [follower, followee] indexes into `people`. */
  follows: [number, number][];
  posts: DemoPost[];
  /** [person, post] indexes. */
  likes: [number, number][];
  /** A comment by `person` on `post`. */
  comments: { person: number; post: number; text: string }[];
}

/** mulberry32: a tiny seeded generator, so a community is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'Dennis', 'Hedy', 'John', 'Karen', 'Leslie', 'Sophie', 'Tim', 'Annie', 'Guido'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds', 'Allen', 'Ritchie', 'Lamarr', 'McCarthy', 'Jones', 'Lamport', 'Wilson', 'Berners-Lee', 'Easley', 'Rossum'];
const TOPICS = ['sourdough', 'bouldering', 'vinyl', 'espresso', 'typescript', 'gardening', 'film cameras', 'trail running', 'board games', 'synthesizers', 'ceramics', 'birdwatching'];
const OPENERS = ['Finally tried', 'Thinking a lot about', 'Hot take on', 'Weekend plans:', 'Anyone into', 'Small win with', 'Learned something new about', 'Cannot stop talking about'];
const CLOSERS = ['Recommendations welcome.', 'What do you think?', 'More soon.', 'Ten out of ten.', 'Pictures later.', 'Send help.', ''];
const REPLIES = ['Love this!', 'Same here.', 'Tell me more', 'Great point.', 'Haha, so true', 'I need to try that', 'Congrats!', 'Saving this for later'];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function postText(random: () => number): string {
  return `${pick(random, OPENERS)} ${pick(random, TOPICS)}. ${pick(random, CLOSERS)}`.trim();
}

function person(index: number, random: () => number, prefix: string): DemoPerson {
  return { username: `${prefix}${index}`, displayName: `${pick(random, FIRST)} ${pick(random, LAST)}` };
}

/**
 * `size` people; each follows about `followsEach` others, chosen with a bias towards the
 * already popular (preferential attachment, so a few people have many followers, as in real
 * networks); `postsEach` posts per person; likes and comments spread over recent posts.
 */
export function generateCommunity(options: { size: number; followsEach?: number; postsEach?: number; seed?: number; prefix?: string }): Community {
  const random = seededRandom(options.seed ?? 42);
  const { size } = options;
  const prefix = options.prefix ?? 'demo_';
  const followsEach = Math.min(options.followsEach ?? 12, size - 1);
  const people = Array.from({ length: size }, (_, index) => person(index, random, prefix));
  const follows = new Set<string>();
  const popularity: number[] = [];
  for (let follower = 0; follower < size; follower++) {
    for (let attempt = 0, made = 0; made < followsEach && attempt < followsEach * 10; attempt++) {
      const followee = popularity.length > 0 && random() < 0.7 ? pick(random, popularity) : Math.floor(random() * size);
      const key = `${follower}:${followee}`;
      if (followee === follower || follows.has(key)) continue;
      follows.add(key);
      popularity.push(followee);
      made++;
    }
  }
  const posts: DemoPost[] = [];
  for (let author = 0; author < size; author++) {
    for (let i = 0; i < (options.postsEach ?? 3); i++) posts.push({ author, text: postText(random) });
  }
  const likes = new Set<string>();
  const comments: Community['comments'] = [];
  for (let personIndex = 0; personIndex < size; personIndex++) {
    for (let i = 0; i < 5 && posts.length > 0; i++) {
      const post = Math.floor(random() * posts.length);
      if (posts[post]!.author !== personIndex) likes.add(`${personIndex}:${post}`);
    }
    if (posts.length > 0 && random() < 0.6) comments.push({ person: personIndex, post: Math.floor(random() * posts.length), text: pick(random, REPLIES) });
  }
  return {
    people,
    follows: [...follows].map((key) => key.split(':').map(Number) as [number, number]),
    posts,
    likes: [...likes].map((key) => key.split(':').map(Number) as [number, number]),
    comments,
  };
}

/**
 * A community on an undirected edge list (`u v` per line, `%` or `#` comments), as DeathStarBench
 * loads socfb-Reed98: one person per node, each friendship followed both ways, `postsEach` posts each.
 */
export async function communityFromEdges(file: string, options: { postsEach?: number; seed?: number; prefix?: string } = {}): Promise<Community> {
  const random = seededRandom(options.seed ?? 7);
  const edges: [number, number][] = [];
  let maxNode = -1;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('%') || trimmed.startsWith('#')) continue;
    const [u, v] = trimmed.split(/\s+/).map(Number);
    if (!Number.isInteger(u) || !Number.isInteger(v) || u === v) continue;
    edges.push([u!, v!]);
    maxNode = Math.max(maxNode, u!, v!);
  }
  const people = Array.from({ length: maxNode + 1 }, (_, index) => person(index, random, options.prefix ?? 'reed_'));
  const follows = edges.flatMap(([u, v]): [number, number][] => [
    [u, v],
    [v, u],
  ]);
  const posts: DemoPost[] = [];
  for (let author = 0; author < people.length; author++) {
    for (let i = 0; i < (options.postsEach ?? 0); i++) posts.push({ author, text: postText(random) });
  }
  return { people, follows, posts, likes: [], comments: [] };
}
