'use client';

import { useEffect, useReducer, useState } from 'react';

import { fetchDevToken } from '../../lib/backend';
import { type ChatChannel, type ChatClient, getStreamClient } from '../../lib/getStreamClient';
import type { UserLike } from './format';
import { DEMO_USERS, type DemoChannel, type DemoUserId } from './users';

/** What the header shows; `reconnecting` is the client's own retry after a dropped socket. */
export type Connection = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A channel ban as the `user.banned` event describes it. */
export interface BanInfo {
  reason?: string;
  expiration?: string;
  by?: UserLike;
}

/** Bans seen as events since the page opened: `null` records an unban (it beats a stale member row). */
export type BanEvents = Readonly<Record<string, BanInfo | null>>;

interface Subscription {
  unsubscribe(): void;
}

// One session at a time: React may mount, unmount and mount again (Strict Mode, fast refresh), and a
// client connects one user at a time, so each connect or disconnect waits for the one before it.
let sessionQueue: Promise<unknown> = Promise.resolve();
function serially(task: () => Promise<void>): Promise<void> {
  const next = sessionQueue.then(task);
  sessionQueue = next.catch(() => undefined);
  return next;
}

/**
 * Signs in once per user and follows the connection; opens `target` on that client (watched, with
 * presence, then marked read). Another target opens on the same connection, so picking a channel
 * from the list does not reconnect; the channel shown stays until the next one is watched.
 */
export function useDemoSession(userId: DemoUserId, target: DemoChannel) {
  const [client, setClient] = useState<ChatClient | null>(null);
  const [channel, setChannel] = useState<ChatChannel | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<string | null>(null);
  const { type, id } = target;
  const name = target.data.name;
  const members = target.data.members.join(',');

  useEffect(() => {
    const run = { cancelled: false };
    let stop: (() => Promise<void>) | undefined;
    serially(async () => {
      if (run.cancelled) return;
      const chat = await getStreamClient();
      const subscriptions: Subscription[] = [
        chat.on('connection.changed', (event) => {
          if (!run.cancelled) setConnection(event.online ? 'online' : 'reconnecting');
        }),
        chat.on('connection.recovered', () => {
          if (!run.cancelled) setConnection('online');
        }),
      ];
      stop = async () => {
        for (const subscription of subscriptions) subscription.unsubscribe();
        await chat.disconnectUser();
      };
      const { token } = await fetchDevToken(userId, DEMO_USERS[userId]);
      if (run.cancelled) return;
      await chat.connectUser({ id: userId, name: DEMO_USERS[userId] }, token);
      if (run.cancelled) return;
      setClient(chat);
    }).catch((failure: unknown) => {
      if (run.cancelled) return;
      setError(failure instanceof Error ? failure.message : String(failure));
      setConnection('offline');
    });
    return () => {
      run.cancelled = true;
      setChannel(null);
      setClient(null);
      void serially(async () => {
        await stop?.();
      });
    };
  }, [userId]);

  useEffect(() => {
    if (!client) return undefined;
    let cancelled = false;
    const watched = client.channel(type, id, { name, members: members.split(',') });
    watched
      .watch({ presence: true })
      .then(async () => {
        if (cancelled) return;
        setConnection((state) => (state === 'connecting' ? 'online' : state));
        setError(null);
        setChannel(watched);
        await watched.markRead();
      })
      .catch((failure: unknown) => {
        if (cancelled) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setConnection((state) => (state === 'connecting' ? 'offline' : state));
      });
    return () => {
      cancelled = true;
    };
  }, [client, type, id, name, members]);

  return { client, channel, connection, error };
}

/**
 * Re-renders on every event the client delivers (it has updated `channel.state` and
 * `client.mutedUsers` before it fires), marks new messages read while the page is in view, and
 * remembers the bans and unbans it hears of.
 */
export function useChatEvents(
  client: ChatClient | null,
  channel: ChatChannel | null,
  userId: string,
): BanEvents {
  const [, bump] = useReducer((revision: number) => revision + 1, 0);
  const [bans, setBans] = useState<BanEvents>({});
  useEffect(() => {
    if (!client || !channel) return undefined;
    const all = client.on((event) => {
      bump();
      if (event.type === 'user.banned' && event.user) {
        const ban: BanInfo = {
          reason: event.reason ?? undefined,
          expiration: event.expiration ?? undefined,
          by: event.created_by ?? undefined,
        };
        setBans((known) => ({ ...known, [event.user.id]: ban }));
      }
      if (event.type === 'user.unbanned' && event.user) {
        setBans((known) => ({ ...known, [event.user.id]: null }));
      }
      // A ban, an unban or a new channel role of this user changes what they may do: ask for
      // own_capabilities again.
      if (
        ((event.type === 'user.banned' || event.type === 'user.unbanned') &&
          event.user?.id === userId) ||
        (event.type === 'member.updated' &&
          event.cid === channel.cid &&
          event.member?.user_id === userId)
      ) {
        channel.watch().then(
          () => bump(),
          () => undefined,
        );
      }
      // Reading happens while the page is in view: tell the others (read markers) as Stream does.
      if (
        event.type === 'message.new' &&
        event.cid === channel.cid &&
        event.user?.id !== userId &&
        !event.message?.parent_id &&
        document.visibilityState === 'visible'
      ) {
        void channel.markRead().catch(() => undefined);
      }
    });
    const onVisible = () => {
      if (document.visibilityState === 'visible') void channel.markRead().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      all.unsubscribe();
      document.removeEventListener('visibilitychange', onVisible);
      setBans({});
    };
  }, [client, channel, userId]);
  return bans;
}

/** The ban that holds `userId` back in `channel` now, from events first, then the member list. */
export function banOf(channel: ChatChannel, bans: BanEvents, userId: string): BanInfo | undefined {
  const member = channel.state.members[userId];
  const ban =
    userId in bans
      ? (bans[userId] ?? undefined)
      : member?.banned
        ? { expiration: member.ban_expires ?? undefined }
        : undefined;
  if (ban?.expiration && Date.parse(ban.expiration) <= Date.now()) return undefined;
  return ban;
}
