/**
 * `npm run demo`: loads a demo community (people, follows, posts, likes, comments) into a running
 * platform through the gateway, in either way of running. Options:
 *   --url <gateway>      default http://localhost:$PORT (8080)
 *   --people <n>         default 100
 *   --graph <edges file> a social graph instead (each friendship followed both ways)
 *   --seed <n>           another community of the same size
 * Everyone's password is printed at the end; run it again and it resumes without duplicating.
 */
import { parseArgs } from 'node:util';
import { communityFromEdges, generateCommunity } from './demo/community.ts';
import { DEMO_PASSWORD, loadCommunity } from './demo/load-community.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: `http://localhost:${process.env['PORT'] ?? '8080'}` },
    people: { type: 'string', default: '100' },
    graph: { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});

const size = Number(values.people);
const seed = Number(values.seed);
if (!Number.isInteger(size) || size < 2 || size > 100_000 || !Number.isInteger(seed)) {
  process.stderr.write('demo: --people must be an integer from 2 to 100000 and --seed an integer\n');
  process.exit(2);
}

try {
  const community = values.graph ? await communityFromEdges(values.graph, { postsEach: 2, seed }) : generateCommunity({ size, seed });
  process.stderr.write(
    `Loading ${community.people.length} people, ${community.follows.length} follows, ${community.posts.length} posts, ` +
      `${community.likes.length} likes and ${community.comments.length} comments into ${values.url}\n`,
  );
  const loaded = await loadCommunity(community, { url: values.url });
  const sample = loaded.people[0]!;
  process.stdout.write(`Done. Sign in as ${sample.username}@demo.agora.test (or any other demo user) with the password "${DEMO_PASSWORD}".\n`);
} catch (error) {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
