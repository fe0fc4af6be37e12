'use client';

import { useState } from 'react';

import { useChat } from './ChatContext';
import { type ChatMessage, displayName, textOrAttachment } from './format';

function PinnedLine({ message, onClick }: { message: ChatMessage; onClick(): void }) {
  return (
    <button type="button" className="pinned-line" data-testid="pinned-message" onClick={onClick}>
      <span className="author">{displayName(message.user)}:</span>{' '}
      <span className="pinned-text">
        {message.type === 'deleted' ? 'This message was deleted' : textOrAttachment(message)}
      </span>
    </button>
  );
}

/** The bar under the header: the newest pinned message, and the others on demand; a click jumps. */
export function PinnedBar() {
  const { channel, jumpTo } = useChat();
  const [expanded, setExpanded] = useState(false);
  const pinned = [...(channel.state.pinnedMessages ?? [])].sort((a, b) =>
    (b.pinned_at ?? '').localeCompare(a.pinned_at ?? ''),
  );
  const newest = pinned[0];
  if (!newest) return null;
  const others = pinned.slice(1);
  return (
    <section className="pinned-bar" data-testid="pinned-bar" aria-label="Pinned messages">
      <span className="pin-icon" aria-hidden>
        📌
      </span>
      <div className="pinned-list">
        <PinnedLine message={newest} onClick={() => jumpTo(newest.id)} />
        {expanded &&
          others.map((message) => (
            <PinnedLine key={message.id} message={message} onClick={() => jumpTo(message.id)} />
          ))}
      </div>
      {others.length > 0 && (
        <button
          type="button"
          className="link"
          aria-expanded={expanded}
          onClick={() => setExpanded((open) => !open)}
        >
          {expanded ? 'Show fewer' : `+${others.length} more`}
        </button>
      )}
    </section>
  );
}
