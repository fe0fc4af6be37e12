import Link from "next/link";

import { DemoChat } from "./DemoChat";
import { DEMO_USERS, isDemoUser } from "./users";

export const metadata = { title: "Jatte demo" };

/** `/demo?user=alice` (the default) or `/demo?user=bob`. */
export default async function DemoPage({ searchParams }: { searchParams: Promise<{ user?: string | string[] }> }) {
  const { user = "alice" } = await searchParams;
  if (!isDemoUser(user)) {
    return (
      <main className="demo">
        <p role="alert">
          Unknown demo user. Pick one:{" "}
          {Object.keys(DEMO_USERS).map((id) => (
            <Link key={id} href={`/demo?user=${id}`} className="user-link">
              {id}
            </Link>
          ))}
        </p>
      </main>
    );
  }
  return <DemoChat userId={user} />;
}
