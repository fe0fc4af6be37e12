'use client';

import { useEffect, useRef, useState } from 'react';

import { useChat } from './ChatContext';
import { Composer } from './Composer';
import { describeError, plural } from './format';
import { MessageItem } from './MessageItem';
import { TypingIndicator } from './TypingIndicator';

/** Stream's page size for replies is 25; the demo's threads are short, so one larger page loads them. */
const REPLIES_PAGE = 100;

interface ThreadPanelProps {
  parentId: string;
  onClose(): void;
  /** Why the user cannot reply (a ban, no `send-reply`), as for the channel's composer. */
  disabledReason?: string;
}

/** The thread beside the channel: its first message, the replies (oldest first) and a composer. */
export function ThreadPanel({ parentId, onClose, disabledReason }: ThreadPanelProps) {
  const { channel, readThread } = useChat();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => {
    let cancelled = false;
    setLoaded(false);
    setLoadError(null);
    channel
      .getReplies(parentId, { limit: REPLIES_PAGE })
      .then(() => {
        if (!cancelled) setLoaded(true);
      })
      .catch((failure: unknown) => {
        if (!cancelled) setLoadError(describeError(failure));
      });
    return () => {
      cancelled = true;
    };
  }, [channel, parentId]);

  const parent = channel.state.messages.find((message) => message.id === parentId);
  const replies = channel.state.threads?.[parentId] ?? [];
  const lastId = replies.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastId]);
  // Open, the thread is read: once it has loaded, and again with each reply that arrives. (The
  // context's readThread is new each render; the latest is called, not re-run for.)
  const read = useRef(readThread);
  read.current = readThread;
  useEffect(() => {
    if (loaded) void read.current(parentId).catch(() => undefined);
  }, [loaded, parentId, lastId]);

  return (
    <aside className="side-panel thread-panel" data-testid="thread-panel" aria-label="Thread">
      <header>
        <h2>Thread</h2>
        <button
          type="button"
          className="close"
          data-testid="thread-close"
          aria-label="Close the thread"
          onClick={onClose}
        >
          ✕
        </button>
      </header>
      <ol className="messages thread-messages">
        {parent ? (
          <MessageItem message={parent} variant="thread-parent" />
        ) : (
          <li className="empty">This message is not in the loaded history.</li>
        )}
        <li className="thread-divider" data-testid="thread-reply-total">
          {plural(parent?.reply_count ?? replies.length, 'reply', 'replies')}
        </li>
        {replies.map((reply) => (
          <MessageItem key={reply.id} message={reply} variant="reply" />
        ))}
        {!loaded && !loadError && <li className="empty">Loading replies…</li>}
        {loadError && (
          <li role="alert" className="error">
            {loadError}
          </li>
        )}
        <li ref={end} aria-hidden className="end" />
      </ol>
      <TypingIndicator parentId={parentId} testId="thread-typing-indicator" />
      <Composer parentId={parentId} testId="thread-composer" disabledReason={disabledReason} />
    </aside>
  );
}
