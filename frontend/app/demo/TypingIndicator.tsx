'use client';

import { useEffect, useRef, useState } from 'react';

import { useChat } from './ChatContext';
import { typingLine } from './format';

/** Stream's SDK drops a typing entry 7 s after it arrived, in case its typing.stop never comes. */
const TYPING_TTL_MS = 7000;

/** "Alice is typing…" for the channel, or for one thread with `parentId`. */
export function TypingIndicator({ parentId, testId }: { parentId?: string; testId: string }) {
  const { channel, userId } = useChat();
  // When this page first saw each typing.start (the shim keeps the event object until the next).
  const seenAt = useRef(new WeakMap<object, number>());
  const [now, setNow] = useState(() => Date.now());
  const entries = Object.values(channel.state.typing);
  for (const entry of entries)
    if (!seenAt.current.has(entry)) seenAt.current.set(entry, Date.now());
  const waiting = entries.length > 0;
  useEffect(() => {
    if (!waiting) return undefined;
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(tick);
  }, [waiting]);
  const fresh = (entry: object) => now - (seenAt.current.get(entry) ?? now) < TYPING_TTL_MS;
  return (
    <p className="typing" data-testid={testId} aria-live="polite">
      {typingLine(channel, userId, parentId, fresh)}
    </p>
  );
}
