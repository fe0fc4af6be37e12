'use client';

import { type FormEvent, useState } from 'react';

import { AddMemberForm, DeleteChannel } from './ChannelAdmin';
import { useChat, useRequest } from './ChatContext';
import { displayName, initials, shortTime, type UserLike } from './format';
import { PresenceDot } from './PresenceDot';
import { banOf, type BanEvents } from './useDemoSession';
import { DEMO_CHANNEL } from './users';

/** Ban lengths a moderator picks from, in minutes (Stream's `timeout`); none = until lifted. */
const BAN_LENGTHS = [
  { label: 'until lifted', minutes: 0 },
  { label: '1 hour', minutes: 60 },
  { label: '1 day', minutes: 24 * 60 },
] as const;

function BanForm({ user, onDone }: { user: UserLike; onDone(): void }) {
  const { channel } = useChat();
  const request = useRequest();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(0);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const banned = await request(
      () =>
        channel.banUser(user.id, {
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          ...(minutes > 0 ? { timeout: minutes } : {}),
        }),
      `${displayName(user)} is banned from this channel`,
    );
    if (banned) onDone();
  };
  return (
    <form className="ban-form" onSubmit={submit} data-testid="ban-form">
      <input
        data-testid="ban-reason"
        aria-label={`Why ban ${displayName(user)}`}
        placeholder="Reason (shown to them)"
        value={reason}
        maxLength={500}
        autoFocus
        onChange={(event) => setReason(event.target.value)}
      />
      <select
        aria-label="For how long"
        value={minutes}
        onChange={(event) => setMinutes(Number(event.target.value))}
      >
        {BAN_LENGTHS.map((length) => (
          <option key={length.minutes} value={length.minutes}>
            {length.label}
          </option>
        ))}
      </select>
      <button type="submit" className="danger" data-testid="ban-confirm">
        Ban
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** The channel's members: who moderates, who is muted or banned, and the controls for each. */
export function MembersPanel({ bans, onClose }: { bans: BanEvents; onClose(): void }) {
  const { client, channel, userId, capabilities } = useChat();
  const request = useRequest();
  const [banning, setBanning] = useState<string | null>(null);
  const members = Object.values(channel.state.members).sort((a, b) =>
    displayName(a.user ?? { id: a.user_id }).localeCompare(
      displayName(b.user ?? { id: b.user_id }),
    ),
  );
  const mutedIds = new Set((client.mutedUsers ?? []).map((mute) => mute.target?.id));
  return (
    <aside className="side-panel members-panel" data-testid="members-panel" aria-label="Members">
      <header>
        <h2>Members</h2>
        <button type="button" className="close" aria-label="Close the members" onClick={onClose}>
          ✕
        </button>
      </header>
      {capabilities.canManageMembers && (
        <AddMemberForm memberIds={members.map((member) => member.user_id)} />
      )}
      <ul className="member-list">
        {members.map((member) => {
          const user = member.user ?? { id: member.user_id };
          const me = user.id === userId;
          const ban = banOf(channel, bans, user.id);
          const muted = mutedIds.has(user.id);
          return (
            <li key={user.id} className="member" data-testid="member" data-user-id={user.id}>
              <div className="member-row">
                <span className="avatar" aria-hidden>
                  {initials(user)}
                  <PresenceDot user={member.user} />
                </span>
                <span className="name">
                  {displayName(user)}
                  {me && <span className="tag">you</span>}
                  {member.channel_role === 'channel_moderator' && (
                    <span className="tag">moderator</span>
                  )}
                  {muted && (
                    <span className="tag" data-testid="member-muted">
                      muted
                    </span>
                  )}
                  {ban && (
                    <span className="tag bad" data-testid="member-banned">
                      banned{ban.expiration ? ` until ${shortTime(ban.expiration)}` : ''}
                    </span>
                  )}
                </span>
              </div>
              {!me && (
                <div className="member-actions">
                  <button
                    type="button"
                    data-testid={muted ? 'unmute-button' : 'mute-button'}
                    onClick={() =>
                      void request(() =>
                        muted ? client.unmuteUser(user.id) : client.muteUser(user.id),
                      )
                    }
                  >
                    {muted ? 'Unmute' : 'Mute'}
                  </button>
                  {capabilities.canManageMembers && member.channel_role !== 'channel_moderator' && (
                    <button
                      type="button"
                      data-testid="make-moderator-button"
                      onClick={() =>
                        void request(
                          () => channel.addModerators([user.id]),
                          `${displayName(user)} moderates this channel now`,
                        )
                      }
                    >
                      Make moderator
                    </button>
                  )}
                  {capabilities.canManageMembers && (
                    <button
                      type="button"
                      className="danger"
                      data-testid="remove-member-button"
                      onClick={() =>
                        void request(
                          () => channel.removeMembers([user.id]),
                          `${displayName(user)} was removed`,
                        )
                      }
                    >
                      Remove
                    </button>
                  )}
                  {capabilities.canBan &&
                    (ban ? (
                      <button
                        type="button"
                        data-testid="unban-button"
                        onClick={() =>
                          void request(
                            () => channel.unbanUser(user.id),
                            `${displayName(user)} may write again`,
                          )
                        }
                      >
                        Unban
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        data-testid="ban-button"
                        onClick={() => setBanning(banning === user.id ? null : user.id)}
                      >
                        Ban…
                      </button>
                    ))}
                </div>
              )}
              {banning === user.id && !ban && (
                <BanForm user={user} onDone={() => setBanning(null)} />
              )}
            </li>
          );
        })}
      </ul>
      <p className="hint">
        A muted member&apos;s messages still arrive, dimmed, and stop counting as unread for you.
        {capabilities.canBan ? ' Banned members can read but not write.' : ''}
      </p>
      {capabilities.canDeleteChannel && channel.id !== DEMO_CHANNEL.id && <DeleteChannel />}
    </aside>
  );
}
