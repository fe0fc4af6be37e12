/** Pure helpers the demo's components share: names, times, read markers, typing, mentions. */
import type { ChatChannel } from '../../lib/getStreamClient';

/** A message as `channel.state` holds it. */
export type ChatMessage = ChatChannel['state']['messages'][number];

/** A message's text, or "📎 Attachment" for one of attachments alone (a one-line mention of it). */
export function textOrAttachment(message: Pick<ChatMessage, 'text' | 'attachments'>): string {
  return message.text?.trim() || (message.attachments?.length ? '📎 Attachment' : '');
}

/** A user as messages and events carry one; every field but `id` may be missing. */
export interface UserLike {
  id: string;
  name?: string;
}

export function displayName(user: UserLike | undefined): string {
  return user?.name || user?.id || 'someone';
}

/** One or two capital letters for the avatar: "Alice" → "A", "Mary Jane" → "MJ". */
export function initials(user: UserLike | undefined): string {
  const words = displayName(user).split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}

/** "14:05" for today, "3 Mar 14:05" for another day. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  const when = new Date(iso);
  const time = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (when.toDateString() === new Date().toDateString()) return time;
  return `${when.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * True once the text was changed after sending. The backend moves `updated_at` only for a text
 * edit (and a delete); pins, reactions and reply counts leave it, so it can stand in for Stream's
 * `message_text_updated_at`, which the wire does not carry.
 */
export function isEdited(message: ChatMessage): boolean {
  if (message.type === 'deleted' || !message.updated_at || !message.created_at) return false;
  return Date.parse(message.updated_at) > Date.parse(message.created_at);
}

/** For each message, who else has read up to it (their last read message), from `channel.state.read`. */
export function readMarkers(channel: ChatChannel, userId: string): Map<string, string[]> {
  const messages = channel.state.messages;
  const markers = new Map<string, string[]>();
  for (const [readerId, read] of Object.entries(channel.state.read)) {
    if (readerId === userId) continue;
    let messageId = read.last_read_message_id;
    if (!messageId || !messages.some((message) => message.id === messageId)) {
      // A reply read in a thread, or a read that predates the id: the newest message up to then.
      const lastRead = new Date(read.last_read).getTime();
      messageId = messages
        .filter((message) => new Date(message.created_at ?? 0).getTime() <= lastRead)
        .at(-1)?.id;
    }
    if (!messageId) continue;
    const names = markers.get(messageId) ?? [];
    markers.set(messageId, [...names, displayName(read.user ?? { id: readerId })]);
  }
  return markers;
}

/** "Bob is typing…" for the channel (no `parentId`) or for one thread; `fresh` drops stale entries. */
export function typingLine(
  channel: ChatChannel,
  userId: string,
  parentId?: string,
  fresh: (entry: object) => boolean = () => true,
): string {
  const names = Object.entries(channel.state.typing)
    .filter(
      ([typistId, event]) =>
        typistId !== userId && (event.parent_id ?? undefined) === parentId && fresh(event),
    )
    .map(([typistId, event]) => displayName(event.user ?? { id: typistId }));
  if (names.length === 0) return '';
  return `${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

/** A piece of a message's text: plain, or an `@mention` of a user the message names. */
export type TextPart = { text: string; mention?: UserLike };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `text` at each `@Name` or `@id` of a mentioned user, longest names first. */
export function splitMentions(text: string, mentioned: readonly UserLike[]): TextPart[] {
  const byHandle = new Map<string, UserLike>();
  for (const user of mentioned) {
    byHandle.set(`@${user.id}`.toLowerCase(), user);
    if (user.name) byHandle.set(`@${user.name}`.toLowerCase(), user);
  }
  if (byHandle.size === 0 || text === '') return [{ text }];
  const handles = [...byHandle.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(${handles.join('|')})(?![\\w-])`, 'gi');
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: match[0], mention: byHandle.get(match[0].toLowerCase()) });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The error a failed request rejected with, as one sentence for the page. */
export function describeError(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
