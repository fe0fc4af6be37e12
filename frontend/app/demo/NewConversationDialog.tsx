'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';

import type { ChatChannel, ChatClient } from '../../lib/getStreamClient';
import { newChannelId } from './channels';
import { describeError, displayName, initials } from './format';
import { PresenceDot } from './PresenceDot';
import { type FoundUser, useUserSearch } from './useUserSearch';

interface NewConversationDialogProps {
  client: ChatClient;
  userId: string;
  onClose(): void;
  /** The conversation exists and is watched: open it. */
  onCreated(channel: ChatChannel): void;
}

/**
 * "New conversation": people found with `client.queryUsers` (by name or id as you type, only
 * those you share a channel with), picked as chips, and an optional name. With a name it is a new
 * channel of its own; without, Stream's distinct channel of those members, found again next time.
 */
export function NewConversationDialog({
  client,
  userId,
  onClose,
  onCreated,
}: NewConversationDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const search = useUserSearch(client, query, [userId]);
  const { found, searching } = search;
  const [picked, setPicked] = useState<FoundUser[]>([]);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setError] = useState<string | null>(null);
  const error = failed ?? search.error;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const isPicked = (id: string) => picked.some((user) => user.id === id);
  const toggle = (user: FoundUser) =>
    setPicked((chosen) =>
      chosen.some((held) => held.id === user.id)
        ? chosen.filter((held) => held.id !== user.id)
        : [...chosen, user],
    );

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (picked.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    const members = picked.map((user) => user.id);
    const title = name.trim();
    const channel = title
      ? client.channel('messaging', newChannelId(), { name: title, members })
      : client.channel('messaging', { members: [userId, ...members] });
    try {
      await channel.watch({ presence: true });
      onCreated(channel);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="new-conversation-dialog"
      data-testid="new-conversation-dialog"
      aria-labelledby="new-conversation-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={submit}>
        <header>
          <h2 id="new-conversation-title">New conversation</h2>
          <button type="button" className="close" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <ul className="picked" aria-label="Members" data-testid="picked-members">
          {picked.map((user) => (
            <li key={user.id} className="chip">
              {displayName(user)}
              <button
                type="button"
                aria-label={`Remove ${displayName(user)}`}
                onClick={() => toggle(user)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
        <input
          className="user-search"
          data-testid="user-search"
          aria-label="Find people"
          placeholder="Find people by name"
          value={query}
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
        />
        <ul className="user-results" aria-label="People" data-testid="user-results">
          {found.map((user) => (
            <li key={user.id}>
              <label className="user-result" data-testid="user-result" data-user-id={user.id}>
                <input type="checkbox" checked={isPicked(user.id)} onChange={() => toggle(user)} />
                <span className="avatar" aria-hidden>
                  {initials(user)}
                  <PresenceDot user={user} />
                </span>
                <span className="name">{displayName(user)}</span>
                <span className="handle">@{user.id}</span>
              </label>
            </li>
          ))}
          {!searching && found.length === 0 && (
            <li className="hint">
              {query.trim() ? 'Nobody by that name.' : 'Nobody to talk to yet.'} People appear here
              once you share a channel.
            </li>
          )}
        </ul>
        <input
          className="conversation-name"
          data-testid="conversation-name"
          aria-label="Conversation name"
          placeholder={
            picked.length > 1 ? 'Name (optional)' : 'Name (optional: a group of its own)'
          }
          maxLength={255}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="create-conversation"
            disabled={picked.length === 0 || busy}
          >
            {busy ? 'Starting…' : 'Start conversation'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
