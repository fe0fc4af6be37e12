'use client';

import { useEffect, useRef } from 'react';

import { useChat } from './ChatContext';
import { readMarkers } from './format';
import { MessageItem } from './MessageItem';

/** The channel's messages, oldest first, with read markers; follows the newest message. */
export function MessageList({ highlightedId }: { highlightedId?: string }) {
  const { channel, userId } = useChat();
  const end = useRef<HTMLLIElement>(null);
  const messages = channel.state.messages;
  const markers = readMarkers(channel, userId);
  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastId]);
  return (
    <ol className="messages" data-testid="message-list" aria-label="Messages">
      {messages.length === 0 && <li className="empty">No messages yet. Say hello.</li>}
      {messages.map((message) => (
        <MessageItem
          key={message.id}
          message={message}
          seenBy={markers.get(message.id)}
          highlighted={message.id === highlightedId}
        />
      ))}
      <li ref={end} aria-hidden className="end" />
    </ol>
  );
}
