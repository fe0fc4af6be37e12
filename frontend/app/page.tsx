import Link from 'next/link';

export default function Home() {
  return (
    <main className="home">
      <h1>Jatte</h1>
      <p>
        Self-hosted chat that speaks Stream Chat&apos;s client API, served by your own Django
        backend.
      </p>
      <ul>
        <li>
          <Link href="/demo">Open the demo as Alice</Link>
        </li>
        <li>
          <Link href="/demo?user=bob">Open the demo as Bob</Link> (in a second tab)
        </li>
      </ul>
    </main>
  );
}
