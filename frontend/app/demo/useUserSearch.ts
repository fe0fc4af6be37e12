'use client';

import { useEffect, useState } from 'react';

import type { ChatClient } from '../../lib/getStreamClient';
import { describeError } from './format';

/** A user as users.query answers (with presence, as the searches ask for it). */
export type FoundUser = Awaited<ReturnType<ChatClient['queryUsers']>>['users'][number];

/** How long typing pauses before the search goes out, and how many users it shows. */
const SEARCH_DELAY_MS = 150;
const SEARCH_LIMIT = 20;

export interface UserSearch {
  found: FoundUser[];
  searching: boolean;
  error: string | null;
}

/**
 * People found with `client.queryUsers` as `query` is typed (by name or id; only those the user
 * shares a channel with, as the server decides), without the ids in `leaveOut`.
 */
export function useUserSearch(
  client: ChatClient,
  query: string,
  leaveOut: readonly string[],
): UserSearch {
  const [found, setFound] = useState<FoundUser[]>([]);
  const [searching, setSearching] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const skipped = leaveOut.join('\n');

  useEffect(() => {
    let cancelled = false;
    setSearching(true);
    const text = query.trim();
    const filter = text
      ? { $or: [{ name: { $autocomplete: text } }, { id: { $autocomplete: text } }] }
      : {};
    const hidden = new Set(skipped.split('\n'));
    const timer = window.setTimeout(() => {
      client.queryUsers(filter, { name: 1 }, { limit: SEARCH_LIMIT, presence: true }).then(
        ({ users }) => {
          if (cancelled) return;
          setFound(users.filter((user) => !hidden.has(user.id)));
          setError(null);
          setSearching(false);
        },
        (failure: unknown) => {
          if (cancelled) return;
          setError(describeError(failure));
          setSearching(false);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, query, skipped]);

  return { found, searching, error };
}
