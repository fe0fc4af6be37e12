/** The demo's users: both are members of the demo channel, so either can open it. */
export const DEMO_USERS = { alice: 'Alice', bob: 'Bob' } as const;

export type DemoUserId = keyof typeof DEMO_USERS;

export function isDemoUser(id: unknown): id is DemoUserId {
  return typeof id === 'string' && Object.hasOwn(DEMO_USERS, id);
}

/** The channel both demo users watch. */
export const DEMO_CHANNEL = {
  type: 'messaging',
  id: 'demo',
  data: { name: 'Demo', members: Object.keys(DEMO_USERS) },
} as const;

/** A channel id as Stream allows one (`^[\w!_-]+$`), kept short for the page's URL. */
const CHANNEL_ID = /^[\w!-]{1,64}$/;

export function isDemoChannelId(id: unknown): id is string {
  return typeof id === 'string' && CHANNEL_ID.test(id);
}

/** `/demo?channel=<id>` opens another channel with the same two members; the default is `demo`. */
export function demoChannel(id: string = DEMO_CHANNEL.id) {
  if (id === DEMO_CHANNEL.id) return DEMO_CHANNEL;
  return {
    type: DEMO_CHANNEL.type,
    id,
    data: { name: `#${id}`, members: DEMO_CHANNEL.data.members },
  } as const;
}

export type DemoChannel = ReturnType<typeof demoChannel>;
