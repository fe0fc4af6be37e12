'use client';

import { useEffect, useRef, useState } from 'react';

import { type MessagePermissions, REACTIONS } from './capabilities';
import { useChat, useRequest } from './ChatContext';
import type { ChatMessage } from './format';
import { hasOwnReaction, useToggleReaction } from './Reactions';

interface ActionsProps {
  message: ChatMessage;
  permissions: MessagePermissions;
  /** Turns the message into an editor in place. */
  onEdit(): void;
}

/** The small emoji set; a click reacts (or takes the reaction back) and closes the picker. */
function EmojiPicker({ message, onDone }: { message: ChatMessage; onDone(): void }) {
  const toggle = useToggleReaction();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="emoji-picker"
      role="menu"
      aria-label="Pick a reaction"
      data-testid="emoji-picker"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone();
      }}
    >
      {REACTIONS.map((reaction, index) => (
        <button
          key={reaction.type}
          ref={index === 0 ? first : undefined}
          type="button"
          role="menuitem"
          className={hasOwnReaction(message, reaction.type) ? 'own' : undefined}
          data-testid="emoji-option"
          data-type={reaction.type}
          aria-label={`React with ${reaction.label}`}
          title={reaction.label}
          onClick={() => {
            onDone();
            void toggle(message, reaction.type);
          }}
        >
          {reaction.emoji}
        </button>
      ))}
    </div>
  );
}

/** The toolbar that shows when the pointer (or focus) is on a message: only what the user may do. */
export function MessageActions({ message, permissions, onEdit }: ActionsProps) {
  const { client, channel, openThread, quote } = useChat();
  const request = useRequest();
  const [picking, setPicking] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const offered = Object.values(permissions).some(Boolean);
  if (!offered) return null;

  if (confirmingDelete) {
    return (
      <div className="actions confirming" data-testid="message-actions" role="group">
        <span>Delete this message?</span>
        <button
          type="button"
          className="danger"
          data-testid="confirm-delete"
          onClick={() => {
            setConfirmingDelete(false);
            void request(() => client.deleteMessage(message.id));
          }}
        >
          Delete
        </button>
        <button type="button" onClick={() => setConfirmingDelete(false)}>
          Cancel
        </button>
      </div>
    );
  }

  return (
    <div
      className={picking ? 'actions open' : 'actions'}
      data-testid="message-actions"
      role="toolbar"
      aria-label="Message actions"
    >
      {permissions.react && (
        <button
          type="button"
          data-testid="action-react"
          aria-label="React"
          aria-expanded={picking}
          title="React"
          onClick={() => setPicking((open) => !open)}
        >
          ☺
        </button>
      )}
      {permissions.reply && (
        <button
          type="button"
          data-testid="action-reply"
          aria-label="Reply in thread"
          title="Reply in thread"
          onClick={() => openThread(message.id)}
        >
          ↩
        </button>
      )}
      {permissions.quote && (
        <button
          type="button"
          data-testid="action-quote"
          aria-label="Quote"
          title="Quote"
          onClick={() => quote(message)}
        >
          ❝
        </button>
      )}
      {permissions.edit && (
        <button
          type="button"
          data-testid="action-edit"
          aria-label="Edit"
          title="Edit"
          onClick={onEdit}
        >
          ✎
        </button>
      )}
      {permissions.pin && (
        <button
          type="button"
          data-testid="action-pin"
          aria-label={message.pinned ? 'Unpin' : 'Pin'}
          title={message.pinned ? 'Unpin' : 'Pin'}
          onClick={() =>
            void request(() =>
              message.pinned ? client.unpinMessage(message.id) : client.pinMessage(message.id),
            )
          }
        >
          📌
        </button>
      )}
      {permissions.flag && (
        <button
          type="button"
          data-testid="action-flag"
          aria-label="Flag"
          title="Flag for the moderators"
          onClick={() =>
            void request(() => client.flagMessage(message.id), 'Flagged for the moderators')
          }
        >
          ⚑
        </button>
      )}
      {permissions.markUnread && (
        <button
          type="button"
          data-testid="action-mark-unread"
          aria-label="Mark unread"
          title="Mark unread from here"
          onClick={() =>
            void request(
              () => channel.markUnread({ message_id: message.id }),
              'Unread from this message on',
            )
          }
        >
          ✉
        </button>
      )}
      {permissions.delete && (
        <button
          type="button"
          className="danger"
          data-testid="action-delete"
          aria-label="Delete"
          title="Delete"
          onClick={() => setConfirmingDelete(true)}
        >
          🗑
        </button>
      )}
      {picking && <EmojiPicker message={message} onDone={() => setPicking(false)} />}
    </div>
  );
}
