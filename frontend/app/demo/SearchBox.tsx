'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';

import { useChat } from './ChatContext';
import { describeError, displayName, shortTime, type ChatMessage } from './format';
import './files.css';

/** A search hit: the message, with the channel it is in (Stream's search result). */
type Hit = ChatMessage & { channel?: { cid: string; id: string; name?: string } };

const DEBOUNCE_MS = 300;

/** Searches the messages of every channel the user is in; a hit opens where it was said. */
export function SearchBox() {
  const { client, channel, userId, jumpTo } = useChat();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  const search = async (text: string) => {
    const words = text.trim();
    const mine = ++asked.current;
    if (words === '') return setHits(null);
    try {
      const answer = await client.search({ members: { $in: [userId] } }, words, { limit: 20 });
      if (mine !== asked.current) return; // a newer search was asked meanwhile
      setHits(answer.results.map((result) => result.message as Hit));
      setError(null);
    } catch (failure) {
      if (mine === asked.current) setError(describeError(failure));
    }
  };

  useEffect(() => {
    const timer = window.setTimeout(() => void search(query), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // Only the query starts a search; `search` reads the rest when it runs.
  }, [query]);

  const open = (hit: Hit) => {
    setHits(null);
    jumpTo(
      hit.id,
      hit.cid === channel.cid ? undefined : (hit.channel?.id ?? hit.cid.split(':')[1]),
    );
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void search(query);
  };

  return (
    <form className="search" role="search" onSubmit={submit} data-testid="search">
      <input
        type="search"
        aria-label="Search messages"
        placeholder="Search messages"
        data-testid="search-input"
        value={query}
        maxLength={500}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && setHits(null)}
      />
      {error && (
        <p role="alert" className="error" data-testid="search-error">
          {error}
        </p>
      )}
      {hits && (
        <ul className="search-results" data-testid="search-results" aria-label="Search results">
          {hits.length === 0 && <li className="search-empty">No messages found.</li>}
          {hits.map((hit) => (
            <li key={hit.id}>
              <button type="button" data-testid="search-hit" onClick={() => open(hit)}>
                <span className="search-hit-meta">
                  <span data-testid="search-hit-channel">{hit.channel?.name || hit.cid}</span> ·{' '}
                  {displayName(hit.user)} · {shortTime(hit.created_at)}
                </span>
                <span data-testid="search-hit-text">{hit.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
