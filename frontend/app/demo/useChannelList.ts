'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';

import type { ChatChannel, ChatClient } from '../../lib/getStreamClient';
import { heldChannels, moveToTop } from './channels';
import { describeError } from './format';

/** Stream's page size cap for queryChannels; the demo lists one page. */
const PAGE = 30;
/** What each listed channel brings along: enough messages for the preview and the first screen. */
const OPTIONS = { limit: PAGE, watch: true, state: true, presence: true, message_limit: 25 };
/** Newest first: the last message, then (for channels without one yet) when it was made. */
const NEWEST_FIRST = [{ last_message_at: -1 as const }, { created_at: -1 as const }];

export interface ChannelList {
  /** The listed channels, in the list's order (newest activity first). */
  channels: ChatChannel[];
  loading: boolean;
  error: string | null;
  /** Puts a channel on top, querying it first when the list does not have it (one just made). */
  show(cid: string): void;
}

/**
 * The signed-in user's messaging channels, as Stream's channel list keeps them: one
 * `queryChannels` (watched, with presence), then events. The SDK leaves ordering to the UI, so
 * this does it: a new message lifts its channel to the top, a channel the user was added to (or
 * got a message in before the list had it) is queried and put on top, a deleted or left channel
 * goes. Unread counts and data are the client's (`channel.countUnread()`, `channel.data`).
 */
export function useChannelList(client: ChatClient | null, userId: string): ChannelList {
  const [cids, setCidsState] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [, bump] = useReducer((revision: number) => revision + 1, 0);
  // The listed cids as of the last change, for the event handlers' decisions.
  const listed = useRef<string[]>([]);
  const setCids = useCallback((next: string[]) => {
    listed.current = next;
    setCidsState(next);
  }, []);
  const show = useRef<(cid: string) => void>(() => undefined);

  useEffect(() => {
    if (!client) return undefined;
    let cancelled = false;
    const mine = { type: 'messaging', members: { $in: [userId] } };
    const load = () =>
      client.queryChannels(mine, NEWEST_FIRST, OPTIONS).then(
        (channels) => {
          if (cancelled) return;
          const found = channels.map((channel) => channel.cid);
          // A channel put on top meanwhile (just made, or news of one) stays there.
          setCids([...listed.current.filter((cid) => !found.includes(cid)), ...found]);
          setLoading(false);
          setError(null);
        },
        (failure: unknown) => {
          if (cancelled) return;
          setLoading(false);
          setError(describeError(failure));
        },
      );
    /** Lifts a listed channel to the top; queries one the list does not have yet (watched, like
     * the rest), then puts it there. */
    show.current = (cid: string) => {
      if (listed.current.includes(cid)) return setCids(moveToTop(listed.current, cid));
      void client.queryChannels({ cid: { $in: [cid] } }, NEWEST_FIRST, OPTIONS).then(
        ([channel]) => {
          if (!cancelled && channel) setCids(moveToTop(listed.current, channel.cid));
        },
        () => undefined, // not readable after all (removed meanwhile): nothing to list
      );
    };
    void load();
    const subscription = client.on((event) => {
      const cid = event.cid;
      switch (event.type) {
        case 'message.new':
          // A reply that stays in its thread is not the channel's news.
          if (cid && listed.current.includes(cid))
            if (!event.message?.parent_id || event.message.show_in_channel)
              setCids(moveToTop(listed.current, cid));
          break;
        case 'notification.message_new':
        case 'notification.added_to_channel':
          if (cid) show.current(cid);
          break;
        case 'notification.removed_from_channel':
        case 'channel.deleted':
          if (cid) setCids(listed.current.filter((held) => held !== cid));
          break;
        case 'connection.recovered':
          void load(); // what changed while the socket was away
          break;
      }
      bump();
    });
    return () => {
      cancelled = true;
      subscription.unsubscribe();
      show.current = () => undefined;
      setCids([]);
      setLoading(true);
    };
  }, [client, userId, setCids]);

  const showChannel = useCallback((cid: string) => show.current(cid), []);
  return { channels: client ? heldChannels(client, cids) : [], loading, error, show: showChannel };
}
