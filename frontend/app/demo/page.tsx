import Link from 'next/link';

import { DemoChat } from './DemoChat';
import { DEMO_USERS, isDemoChannelId, isDemoUser } from './users';

export const metadata = { title: 'Jatte demo' };

type Query = { user?: string | string[]; channel?: string | string[] };

/** `/demo?user=alice` (the default) or `/demo?user=bob`; `&channel=<id>` opens another channel. */
export default async function DemoPage({ searchParams }: { searchParams: Promise<Query> }) {
  const { user = 'alice', channel } = await searchParams;
  if (!isDemoUser(user)) {
    return (
      <main className="demo">
        <p role="alert">
          Unknown demo user. Pick one:{' '}
          {Object.keys(DEMO_USERS).map((id) => (
            <Link key={id} href={`/demo?user=${id}`} className="user-link">
              {id}
            </Link>
          ))}
        </p>
      </main>
    );
  }
  if (channel !== undefined && !isDemoChannelId(channel)) {
    return (
      <main className="demo">
        <p role="alert">
          A channel id is 1 to 64 letters, digits, <code>_</code>, <code>-</code> or <code>!</code>.{' '}
          <Link href={`/demo?user=${user}`}>Open the demo channel</Link>
        </p>
      </main>
    );
  }
  return <DemoChat userId={user} channelId={channel} />;
}
