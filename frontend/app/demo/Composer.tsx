'use client';

import {
  type FormEvent,
  type KeyboardEvent,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

import { AttachButton, PendingUploads, useDropZone, useUploads } from './Attachments';
import { useChat } from './ChatContext';
import { type ChatMessage, describeError } from './format';
import {
  channelUsers,
  MentionMenu,
  mentionCandidates,
  mentionedIds,
  mentionHandle,
  mentionQueryAt,
} from './Mentions';
import { QuotedMessage } from './MessageItem';

interface ComposerProps {
  /** Set in a thread: the message the replies belong to. */
  parentId?: string;
  /** The message the next one quotes (channel composer only). */
  quoted?: ChatMessage | null;
  onClearQuote?(): void;
  /** Why the user cannot write here (a ban, a missing capability); the input is disabled with it. */
  disabledReason?: string;
  /** `composer` in the channel, `thread-composer` in a thread: the prefix of its test ids. */
  testId?: 'composer' | 'thread-composer';
}

/** The message input: `@` suggests the channel's members, a quote shows above, Send posts. */
export function Composer({
  parentId,
  quoted,
  onClearQuote,
  disabledReason,
  testId = 'composer',
}: ComposerProps) {
  const { channel, userId, capabilities } = useChat();
  const input = useRef<HTMLInputElement>(null);
  const menuId = useId();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [alsoInChannel, setAlsoInChannel] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const pendingCaret = useRef<number | null>(null);
  const files = useUploads(channel);
  const mayAttach = capabilities.has('upload-file') && !disabledReason;
  const drop = useDropZone(files.add, mayAttach);

  const users = channelUsers(channel, userId);
  const query = capabilities.canMention ? mentionQueryAt(text, caret) : null;
  const candidates =
    query && query.start !== dismissedAt ? mentionCandidates(users, query.query) : [];
  const menuOpen = candidates.length > 0;
  const disabled = Boolean(disabledReason);

  // After a pick, put the caret after the inserted name once React has written the new value.
  useLayoutEffect(() => {
    if (pendingCaret.current === null || !input.current) return;
    input.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const pick = (user: { id: string; name?: string }) => {
    if (!query) return;
    const inserted = `@${mentionHandle(user)} `;
    const next = text.slice(0, query.start) + inserted + text.slice(caret);
    const at = query.start + inserted.length;
    pendingCaret.current = at;
    setText(next);
    setCaret(at);
    setActive(0);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Text, files or both (Stream's rule).
    const typed = text.trim();
    const attachments = files.ready;
    if ((typed === '' && attachments.length === 0) || disabled || files.busy) return;
    setText('');
    setCaret(0);
    const mentioned = capabilities.canMention ? mentionedIds(typed, users) : [];
    try {
      await channel.sendMessage({
        text: typed,
        ...(parentId ? { parent_id: parentId, show_in_channel: alsoInChannel || undefined } : {}),
        ...(quoted ? { quoted_message_id: quoted.id } : {}),
        ...(mentioned.length > 0 ? { mentioned_users: mentioned } : {}),
        ...(attachments.length > 0 ? { attachments } : {}),
      });
      files.clear();
      setSendError(null);
      onClearQuote?.();
    } catch (failure) {
      setText(typed);
      setSendError(describeError(failure));
    }
    void channel.stopTyping(parentId).catch(() => undefined);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (!menuOpen) {
      if (event.key === 'Escape' && quoted) onClearQuote?.();
      return;
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (index + step + candidates.length) % candidates.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      const chosen = candidates[Math.min(active, candidates.length - 1)];
      if (chosen) pick(chosen);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setDismissedAt(query?.start ?? null);
    }
  };

  const placeholder = parentId ? 'Reply in the thread' : 'Write a message, @ to mention';
  return (
    <form
      className={`${parentId ? 'composer thread' : 'composer'}${drop.over ? ' drop-target' : ''}`}
      onSubmit={submit}
      data-testid={`${testId}-form`}
      {...drop.handlers}
    >
      {quoted && (
        <div className="quote-preview" data-testid="quote-preview">
          <QuotedMessage quoted={quoted} />
          <button
            type="button"
            className="close"
            aria-label="Cancel the quote"
            onClick={() => onClearQuote?.()}
          >
            ✕
          </button>
        </div>
      )}
      {disabledReason && (
        <p className="composer-disabled" role="status" data-testid={`${testId}-disabled`}>
          {disabledReason}
        </p>
      )}
      <PendingUploads uploads={files.uploads} onRemove={files.remove} />
      <div className="composer-row">
        {mayAttach && <AttachButton onFiles={files.add} />}
        {menuOpen && (
          <MentionMenu
            id={menuId}
            candidates={candidates}
            active={Math.min(active, candidates.length - 1)}
            onPick={pick}
            onHover={setActive}
          />
        )}
        <input
          ref={input}
          data-testid={`${testId}-input`}
          aria-label={parentId ? 'Reply' : 'Message'}
          role="combobox"
          aria-expanded={menuOpen}
          aria-controls={menuOpen ? menuId : undefined}
          aria-autocomplete="list"
          aria-activedescendant={menuOpen ? `${menuId}-${active}` : undefined}
          placeholder={disabled ? 'You cannot write here' : placeholder}
          value={text}
          maxLength={5000}
          autoComplete="off"
          disabled={disabled}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart ?? event.target.value.length);
            setDismissedAt(null);
            setActive(0);
            if (event.target.value !== '' && capabilities.sendsTyping) {
              void channel.keystroke(parentId).catch(() => undefined);
            }
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="primary"
          data-testid={testId === 'composer' ? 'send-button' : 'thread-send-button'}
          disabled={disabled || files.busy || (text.trim() === '' && files.ready.length === 0)}
        >
          Send
        </button>
      </div>
      {parentId && (
        <label className="also-in-channel">
          <input
            type="checkbox"
            checked={alsoInChannel}
            onChange={(event) => setAlsoInChannel(event.target.checked)}
            disabled={disabled}
          />
          Also send to the channel
        </label>
      )}
      {sendError && (
        <p role="alert" className="error" data-testid={`${testId}-error`}>
          {sendError}
        </p>
      )}
    </form>
  );
}
