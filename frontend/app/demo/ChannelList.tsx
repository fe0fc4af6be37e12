'use client';

import type { ChatChannel } from '../../lib/getStreamClient';
import { channelTitle, lastActivity, lastMessagePreview, otherMembers } from './channels';
import { initials } from './format';
import { PresenceDot } from './PresenceDot';
import './channels.css';

interface ChannelListProps {
  channels: readonly ChatChannel[];
  activeCid?: string;
  userId: string;
  loading: boolean;
  error: string | null;
  onSelect(channel: ChatChannel): void;
  onNewConversation(): void;
}

/** The user's conversations, newest first: name, last message, time and an unread badge each. */
export function ChannelList({
  channels,
  activeCid,
  userId,
  loading,
  error,
  onSelect,
  onNewConversation,
}: ChannelListProps) {
  return (
    <nav className="channel-list" aria-label="Conversations" data-testid="channel-list">
      <header>
        <h2>Conversations</h2>
        <button
          type="button"
          className="new-conversation"
          data-testid="new-conversation"
          title="New conversation"
          aria-label="New conversation"
          onClick={onNewConversation}
        >
          +
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {loading && channels.length === 0 && <p className="hint">Loading your conversations…</p>}
      {!loading && !error && channels.length === 0 && (
        <p className="hint">No conversations yet: start one with +.</p>
      )}
      <ul>
        {channels.map((channel) => {
          const unread = channel.countUnread();
          const active = channel.cid === activeCid;
          const title = channelTitle(channel, userId);
          const others = otherMembers(channel, userId);
          const direct =
            others.length === 1 ? channel.state.members[others[0].id]?.user : undefined;
          const classes = ['channel-item', active && 'active', unread > 0 && 'unread'];
          return (
            <li key={channel.cid}>
              <button
                type="button"
                className={classes.filter(Boolean).join(' ')}
                data-testid="channel-item"
                data-cid={channel.cid}
                aria-current={active ? 'page' : undefined}
                onClick={() => onSelect(channel)}
              >
                <span className="avatar" aria-hidden>
                  {initials({ id: channel.cid, name: title.replace(/^#/, '') })}
                  {direct && <PresenceDot user={direct} />}
                </span>
                <span className="channel-item-text">
                  <span className="channel-item-top">
                    <span className="channel-name" data-testid="channel-name">
                      {title}
                    </span>
                    <time className="channel-time">{lastActivity(channel)}</time>
                  </span>
                  <span className="channel-preview" data-testid="channel-preview">
                    {lastMessagePreview(channel, userId)}
                  </span>
                </span>
                {unread > 0 && (
                  <span
                    className="unread-badge"
                    data-testid="unread-badge"
                    aria-label={`${unread} unread`}
                  >
                    {unread > 99 ? '99+' : unread}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
