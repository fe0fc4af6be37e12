/** Pure helpers for the channel list: titles, previews, unread totals, ordering, new ids. */
import type { ChatChannel, ChatClient } from '../../lib/getStreamClient';
import { displayName, shortTime, textOrAttachment, type UserLike } from './format';

/** The page's own title; the unread total goes in front of it. */
export const PAGE_TITLE = 'Jatte demo';

/** The members other than `userId`, by name. */
export function otherMembers(channel: ChatChannel, userId: string): UserLike[] {
  return Object.values(channel.state.members)
    .map((member) => member.user ?? { id: member.user_id })
    .filter((user) => user.id !== userId)
    .sort((a, b) => displayName(a).localeCompare(displayName(b)));
}

/** The channel's name or, for one without (a distinct channel), the other members' names. */
export function channelTitle(channel: ChatChannel, userId: string): string {
  const name = channel.data?.name?.trim();
  if (name) return name;
  const others = otherMembers(channel, userId).map(displayName);
  return others.length > 0 ? others.join(', ') : 'Just you';
}

/** One line for the list: the newest top-level message, "You: …" when it is the user's. */
export function lastMessagePreview(channel: ChatChannel, userId: string): string {
  const last = channel.state.messages.at(-1);
  if (!last) return 'No messages yet';
  if (last.type === 'deleted') return 'Message deleted';
  const who = last.user?.id === userId ? 'You' : displayName(last.user);
  return `${who}: ${textOrAttachment(last)}`;
}

/** When the channel last had a message (or was made), as the list shows it. */
export function lastActivity(channel: ChatChannel): string {
  const at = channel.state.messages.at(-1)?.created_at ?? channel.data?.last_message_at;
  return shortTime(at ?? channel.data?.created_at);
}

/** The sum of the listed channels' unread counts, for the page's title. */
export function totalUnread(channels: readonly ChatChannel[]): number {
  return channels.reduce((sum, channel) => sum + channel.countUnread(), 0);
}

/** "(3) Jatte demo" while anything is unread, else the plain title. */
export function titleWithUnread(total: number): string {
  return total > 0 ? `(${total > 99 ? '99+' : total}) ${PAGE_TITLE}` : PAGE_TITLE;
}

/** `cids` with `cid` first (added when it was not there). */
export function moveToTop(cids: readonly string[], cid: string): string[] {
  return cids[0] === cid ? [...cids] : [cid, ...cids.filter((held) => held !== cid)];
}

/** The client's channels for `cids`, in that order, leaving out any it no longer holds. */
export function heldChannels(client: ChatClient, cids: readonly string[]): ChatChannel[] {
  return cids.flatMap((cid) => client.activeChannels[cid] ?? []);
}

/** A fresh channel id for a named conversation (Stream's ids: letters, digits, `_`, `-`, `!`). */
export function newChannelId(): string {
  return `c-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
