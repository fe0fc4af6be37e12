/** What the signed-in user may do, read from the channel's `own_capabilities` (Stream's strings). */
import type { ChatMessage } from './format';

/** The reactions the demo offers, as text emoji (no image, no sprite, no CDN). */
export const REACTIONS = [
  { type: 'like', emoji: '👍', label: 'thumbs up' },
  { type: 'love', emoji: '❤️', label: 'heart' },
  { type: 'haha', emoji: '😂', label: 'laughing' },
  { type: 'wow', emoji: '😮', label: 'surprised' },
  { type: 'sad', emoji: '😢', label: 'sad' },
  { type: 'fire', emoji: '🔥', label: 'fire' },
] as const;

/** The emoji for a reaction type; a type another client sent and the demo does not know shows as its name. */
export function reactionEmoji(type: string): string {
  return REACTIONS.find((reaction) => reaction.type === type)?.emoji ?? type;
}

/** The set of capability strings, with a lookup that reads like the UI's questions. */
export class Capabilities {
  readonly #granted: ReadonlySet<string>;

  constructor(granted: readonly string[] = []) {
    this.#granted = new Set(granted);
  }

  has(capability: string): boolean {
    return this.#granted.has(capability);
  }

  get canSend(): boolean {
    return this.has('send-message');
  }

  get canReply(): boolean {
    return this.has('send-reply');
  }

  get canBan(): boolean {
    return this.has('ban-channel-members');
  }

  /** Add and remove members, and make moderators (Stream's update-channel-members). */
  get canManageMembers(): boolean {
    return this.has('update-channel-members');
  }

  get canDeleteChannel(): boolean {
    return this.has('delete-channel');
  }

  get canMention(): boolean {
    return this.has('create-mention');
  }

  get sendsTyping(): boolean {
    // Stream lists both names for the same grant; either one means typing events are on.
    return this.has('send-typing-events') || this.has('typing-events');
  }
}

/** The hover actions one message offers this user; nothing for a deleted message. */
export interface MessagePermissions {
  react: boolean;
  reply: boolean;
  quote: boolean;
  edit: boolean;
  delete: boolean;
  pin: boolean;
  flag: boolean;
  /** Stream's channel.markUnread({ message_id }): unread from another's message on. */
  markUnread: boolean;
}

export function messagePermissions(
  message: ChatMessage,
  userId: string,
  capabilities: Capabilities,
): MessagePermissions {
  const mine = message.user?.id === userId;
  const live = message.type !== 'deleted';
  const may = (own: string, any: string) =>
    live && (capabilities.has(any) || (mine && capabilities.has(own)));
  return {
    react: live && capabilities.has('send-reaction'),
    reply: live && !message.parent_id && capabilities.has('send-reply'),
    quote: live && !message.parent_id && capabilities.has('quote-message'),
    edit: may('update-own-message', 'update-any-message'),
    delete: may('delete-own-message', 'delete-any-message'),
    pin: live && capabilities.has('pin-message'),
    flag: live && !mine && capabilities.has('flag-message'),
    markUnread: live && !mine && !message.parent_id && capabilities.has('read-events'),
  };
}
