'use client';

import type { ReactNode } from 'react';

import type { Connection } from './useDemoSession';
import { DEMO_USERS, type DemoUserId } from './users';

interface ChannelHeaderProps {
  /** The channel's name (ChannelTitle: with its rename). */
  title: ReactNode;
  userId: DemoUserId;
  channelId?: string;
  connection: Connection;
  /** Set once the channel is watched: the members button shows it. */
  memberCount?: number;
  membersOpen: boolean;
  onToggleMembers(): void;
}

/** The channel's name, who is signed in (with a link to sign in as the other), members, connection. */
export function ChannelHeader({
  title,
  userId,
  channelId,
  connection,
  memberCount,
  membersOpen,
  onToggleMembers,
}: ChannelHeaderProps) {
  const other = (Object.keys(DEMO_USERS) as DemoUserId[]).find((id) => id !== userId);
  const channelQuery = channelId ? `&channel=${encodeURIComponent(channelId)}` : '';
  return (
    <header className="top">
      {title}
      <span className="me">
        Signed in as <strong>{DEMO_USERS[userId]}</strong>
        {other && (
          <>
            {' · '}
            <a href={`/demo?user=${other}${channelQuery}`} target="_blank" rel="noreferrer">
              open as {DEMO_USERS[other]}
            </a>
          </>
        )}
      </span>
      {memberCount !== undefined && (
        <button
          type="button"
          className="members-toggle"
          data-testid="members-toggle"
          aria-label={`Members (${memberCount})`}
          aria-pressed={membersOpen}
          onClick={onToggleMembers}
        >
          👥 {memberCount}
        </button>
      )}
      <span
        className={`connection ${connection}`}
        data-testid="connection-state"
        data-state={connection}
      >
        {connection}
      </span>
    </header>
  );
}

/** What shows until the channel is watched: an empty list and a disabled composer. */
export function ConnectingPlaceholder() {
  return (
    <div className="body">
      <section className="channel">
        <div className="messages placeholder" />
        <p className="typing" data-testid="typing-indicator" />
        <form className="composer">
          <div className="composer-row">
            <input
              data-testid="composer-input"
              aria-label="Message"
              placeholder="Connecting…"
              disabled
            />
            <button type="submit" className="primary" data-testid="send-button" disabled>
              Send
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
