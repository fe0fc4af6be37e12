'use client';

import type { ChatChannel } from '../../lib/getStreamClient';
import { displayName, initials, type UserLike } from './format';

/** The `@word` being typed just before the caret, if any. */
export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const match = /(?:^|\s)@([\w-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** The channel's members as users, without the signed-in one. */
export function channelUsers(channel: ChatChannel, userId: string): UserLike[] {
  return Object.values(channel.state.members)
    .map((member) => member.user ?? { id: member.user_id })
    .filter((user) => user.id !== userId);
}

/** Members whose id or name starts with the query (then those that contain it), at most six. */
export function mentionCandidates(users: readonly UserLike[], query: string): UserLike[] {
  const wanted = query.toLowerCase();
  const score = (user: UserLike) => {
    const names = [user.id, user.name ?? ''].map((name) => name.toLowerCase());
    if (names.some((name) => name.startsWith(wanted))) return 0;
    if (names.some((name) => name.includes(wanted))) return 1;
    return 2;
  };
  return users
    .filter((user) => score(user) < 2)
    .sort((a, b) => score(a) - score(b) || displayName(a).localeCompare(displayName(b)))
    .slice(0, 6);
}

/** The handle a pick inserts: the name when it is one word, else the id. */
export function mentionHandle(user: UserLike): string {
  return user.name && /^[\w-]+$/.test(user.name) ? user.name : user.id;
}

/** The ids of the members `text` mentions as `@name` or `@id` (Stream's `mentioned_users`, ≤ 25). */
export function mentionedIds(text: string, users: readonly UserLike[]): string[] {
  const lowered = text.toLowerCase();
  const mentions = (handle: string) =>
    new RegExp(`(^|[^\\w])@${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(
      lowered,
    );
  return users
    .filter((user) => [user.id, user.name ?? ''].some((h) => h !== '' && mentions(h.toLowerCase())))
    .map((user) => user.id)
    .slice(0, 25);
}

interface MentionMenuProps {
  id: string;
  candidates: readonly UserLike[];
  active: number;
  onPick(user: UserLike): void;
  onHover(index: number): void;
}

/** The suggestion list above the composer while an `@word` is typed. */
export function MentionMenu({ id, candidates, active, onPick, onHover }: MentionMenuProps) {
  return (
    <ul className="mention-menu" id={id} role="listbox" data-testid="mention-suggestions">
      {candidates.map((user, index) => (
        <li
          key={user.id}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'active' : undefined}
          data-testid="mention-option"
          data-user-id={user.id}
          // mousedown, not click: the input keeps its focus and caret.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(user);
          }}
          onMouseEnter={() => onHover(index)}
        >
          <span className="avatar tiny" aria-hidden>
            {initials(user)}
          </span>
          <span className="name">{displayName(user)}</span>
          <span className="handle">@{user.id}</span>
        </li>
      ))}
    </ul>
  );
}
