'use client';

import { type FormEvent, useState } from 'react';

import type { ChatChannel } from '../../lib/getStreamClient';
import { channelTitle } from './channels';
import { describeError } from './format';

interface ChannelTitleProps {
  channel: ChatChannel | null;
  userId: string;
  /** What shows before the channel is watched. */
  fallback: string;
}

/**
 * The channel's name as the header shows it, with a rename in place for those whose
 * `own_capabilities` hold update-channel (Stream's `channel.updatePartial({set: {name}})`; every
 * watcher's header and list follow the channel.updated event).
 */
export function ChannelTitle({ channel, userId, fallback }: ChannelTitleProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const title = channel ? channelTitle(channel, userId) : fallback;
  const canRename = channel?.data?.own_capabilities?.includes('update-channel') ?? false;

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = draft?.trim();
    if (!channel || !name || name === channel.data?.name) return setDraft(null);
    try {
      await channel.updatePartial({ set: { name } });
      setDraft(null);
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  if (draft !== null && channel) {
    return (
      <form className="rename" onSubmit={save} data-testid="rename-form">
        <input
          data-testid="rename-input"
          aria-label="Channel name"
          value={draft}
          maxLength={255}
          autoFocus
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setDraft(null);
          }}
        />
        <button type="submit" className="primary" data-testid="rename-save">
          Save
        </button>
        <button type="button" onClick={() => setDraft(null)}>
          Cancel
        </button>
        {error && (
          <span role="alert" className="error">
            {error}
          </span>
        )}
      </form>
    );
  }
  return (
    <span className="channel-title">
      <h1 data-testid="channel-title">{title}</h1>
      {canRename && (
        <button
          type="button"
          className="rename-button"
          data-testid="rename-button"
          title="Rename the channel"
          aria-label="Rename the channel"
          onClick={() => setDraft(channel?.data?.name ?? '')}
        >
          ✎
        </button>
      )}
    </span>
  );
}
