'use client';

import { useCallback, useEffect, useState } from 'react';

import type { ChatClient } from '../../lib/getStreamClient';

/** Unread replies per thread, by parent message id: the user's threads (those they started or
 * replied in) with replies from others they have not read, as getUnreadCount() lists them. */
export type UnreadThreads = Record<string, number>;

/** The server's thread counts, asked again whenever a reply arrives or a thread is read (here or
 * in another tab); `refresh` asks at once. */
export function useUnreadThreads(client: ChatClient | null, userId: string) {
  const [threads, setThreads] = useState<UnreadThreads>({});
  const refresh = useCallback(async () => {
    if (!client) return;
    try {
      const counts = await client.getUnreadCount();
      setThreads(
        Object.fromEntries(counts.threads.map((t) => [t.parent_message_id, t.unread_count])),
      );
    } catch {
      // the socket is away: the next reply, read or reconnection asks again
    }
  }, [client]);

  useEffect(() => {
    if (!client) return;
    void refresh();
    const subscription = client.on((event) => {
      const reply = event.type === 'message.new' && event.message?.parent_id;
      const threadRead = event.type === 'notification.mark_read' && event.thread_id;
      if (
        (reply && event.user?.id !== userId) ||
        threadRead ||
        event.type === 'connection.recovered'
      )
        void refresh();
    });
    return () => subscription.unsubscribe();
  }, [client, userId, refresh]);

  return { threads, refresh };
}
