'use client';

import { type KeyboardEvent, useState } from 'react';

import { AttachmentList } from './Attachments';
import { messagePermissions } from './capabilities';
import { useChat, useRequest } from './ChatContext';
import {
  type ChatMessage,
  displayName,
  initials,
  isEdited,
  plural,
  shortTime,
  splitMentions,
  textOrAttachment,
} from './format';
import { MessageActions } from './MessageActions';
import { ReactionChips } from './Reactions';

/** Where a message is shown: the channel's list, the top of a thread, or a reply in the thread. */
export type MessageVariant = 'channel' | 'thread-parent' | 'reply';

const TEST_IDS: Record<MessageVariant, string> = {
  channel: 'message',
  'thread-parent': 'thread-parent',
  reply: 'thread-reply',
};

/** The text, with each `@mention` of a user the message names set apart (all as text nodes). */
export function MessageText({ message }: { message: ChatMessage }) {
  const { userId } = useChat();
  if (!message.text) return null; // a message of attachments alone
  const parts = splitMentions(message.text, message.mentioned_users ?? []);
  return (
    <p className="text" data-testid="message-text">
      {/* Text as React text nodes: the browser never parses it as HTML. */}
      {parts.map((part, index) =>
        part.mention ? (
          <span
            key={index}
            className={part.mention.id === userId ? 'mention me' : 'mention'}
            data-testid="mention"
            title={displayName(part.mention)}
          >
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}

/** The quoted message inside a message, or above the composer; a click jumps to it. */
export function QuotedMessage({ quoted, onClick }: { quoted: ChatMessage; onClick?: () => void }) {
  const body =
    quoted.type === 'deleted' ? (
      <em>This message was deleted</em>
    ) : (
      <span className="quoted-text">{textOrAttachment(quoted)}</span>
    );
  const content = (
    <>
      <span className="quoted-author">{displayName(quoted.user)}</span>
      {body}
    </>
  );
  return onClick ? (
    <button type="button" className="quoted" data-testid="quoted-message" onClick={onClick}>
      {content}
    </button>
  ) : (
    <blockquote className="quoted" data-testid="quoted-message">
      {content}
    </blockquote>
  );
}

/** The text being edited in place: Enter saves, Shift+Enter is a new line, Escape cancels. The
 * text may be cleared only from a message with attachments, which stay (Stream's rule). */
function EditForm({ message, onDone }: { message: ChatMessage; onDone(): void }) {
  const { client } = useChat();
  const request = useRequest();
  const [text, setText] = useState(message.text ?? '');
  const save = async () => {
    const edited = text.trim();
    const unchanged = edited === (message.text ?? '').trim();
    if (unchanged || (edited === '' && !message.attachments?.length)) return onDone();
    if (await request(() => client.updateMessage({ id: message.id, text: edited }))) onDone();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') onDone();
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <form
      className="edit"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        data-testid="edit-input"
        aria-label="Edit message"
        value={text}
        maxLength={5000}
        rows={Math.min(6, text.split('\n').length)}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-buttons">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="edit-save">
          Save
        </button>
      </div>
    </form>
  );
}

/** The thread line under a message: "2 replies" with who took part; a click opens the thread. */
function ThreadSummary({ message }: { message: ChatMessage }) {
  const { openThread, unreadThreads } = useChat();
  const count = message.reply_count ?? 0;
  const unread = unreadThreads[message.id] ?? 0;
  if (count === 0) return null;
  return (
    <button
      type="button"
      className="thread-summary"
      data-testid="thread-summary"
      onClick={() => openThread(message.id)}
    >
      <span className="participants" aria-hidden>
        {(message.thread_participants ?? []).slice(0, 3).map((user) => (
          <span key={user.id} className="avatar tiny">
            {initials(user)}
          </span>
        ))}
      </span>
      <span data-testid="reply-count">{plural(count, 'reply', 'replies')}</span>
      {unread > 0 && (
        <span
          className="thread-unread"
          data-testid="thread-unread"
          aria-label={`${plural(unread, 'unread reply', 'unread replies')}`}
        >
          {unread} new
        </span>
      )}
    </button>
  );
}

interface MessageItemProps {
  message: ChatMessage;
  variant?: MessageVariant;
  /** Who else has read up to this message (channel list only). */
  seenBy?: string[];
  highlighted?: boolean;
}

/** One message: author, quote, text or "deleted", "edited", reactions, thread line, hover actions. */
export function MessageItem({
  message,
  variant = 'channel',
  seenBy,
  highlighted,
}: MessageItemProps) {
  const { client, userId, capabilities, openThread, jumpTo } = useChat();
  const [editing, setEditing] = useState(false);
  const mine = message.user?.id === userId;
  const deleted = message.type === 'deleted';
  const muted =
    !mine && (client.mutedUsers ?? []).some((mute) => mute.target?.id === message.user?.id);
  const permissions = messagePermissions(message, userId, capabilities);
  const classes = ['message', `in-${variant}`];
  if (mine) classes.push('mine');
  if (deleted) classes.push('deleted');
  if (muted) classes.push('muted');
  if (message.pinned) classes.push('pinned');
  if (highlighted) classes.push('flash');
  const quoted = message.quoted_message;
  return (
    <li
      className={classes.join(' ')}
      data-testid={TEST_IDS[variant]}
      data-message-id={message.id}
      data-type={message.type}
      // Focusable, so the hover actions also open from the keyboard (:focus-within).
      tabIndex={0}
    >
      <span className="avatar" aria-hidden>
        {initials(message.user)}
      </span>
      <div className="bubble">
        <div className="meta">
          <span className="author">{displayName(message.user)}</span>
          <time dateTime={message.created_at}>{shortTime(message.created_at)}</time>
          {muted && <span className="tag">muted</span>}
          {message.pinned && (
            <span className="tag pin" data-testid="pinned-tag">
              📌 pinned{message.pinned_by ? ` by ${displayName(message.pinned_by)}` : ''}
            </span>
          )}
        </div>
        {variant === 'channel' && message.parent_id && (
          <button
            type="button"
            className="in-thread"
            onClick={() => openThread(message.parent_id ?? '')}
          >
            replied in a thread
          </button>
        )}
        {quoted && !deleted && <QuotedMessage quoted={quoted} onClick={() => jumpTo(quoted.id)} />}
        {deleted ? (
          <p className="text deleted-text" data-testid="message-deleted">
            This message was deleted
          </p>
        ) : editing ? (
          <EditForm message={message} onDone={() => setEditing(false)} />
        ) : (
          <MessageText message={message} />
        )}
        {isEdited(message) && !editing && (
          <span className="edited" data-testid="message-edited">
            (edited)
          </span>
        )}
        {!editing && <AttachmentList message={message} />}
        <ReactionChips message={message} />
        {variant === 'channel' && !deleted && <ThreadSummary message={message} />}
        {seenBy && (
          <span className="read-marker" data-testid="read-marker">
            Seen by {seenBy.join(', ')}
          </span>
        )}
      </div>
      {!editing && (
        <MessageActions
          message={message}
          permissions={permissions}
          onEdit={() => setEditing(true)}
        />
      )}
    </li>
  );
}
