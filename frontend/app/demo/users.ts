/** The demo's users: both are members of the demo channel, so either can open it. */
export const DEMO_USERS = { alice: "Alice", bob: "Bob" } as const;

export type DemoUserId = keyof typeof DEMO_USERS;

export function isDemoUser(id: unknown): id is DemoUserId {
  return typeof id === "string" && Object.hasOwn(DEMO_USERS, id);
}

/** The channel both demo users watch. */
export const DEMO_CHANNEL = {
  type: "messaging",
  id: "demo",
  data: { name: "Demo", members: Object.keys(DEMO_USERS) },
} as const;
