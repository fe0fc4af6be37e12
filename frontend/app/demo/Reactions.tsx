'use client';

import { REACTIONS, reactionEmoji } from './capabilities';
import { useChat, useRequest } from './ChatContext';
import { type ChatMessage, displayName } from './format';

/** Each reaction type on the message with its count, oldest first. */
function reactionTypes(message: ChatMessage): { type: string; count: number }[] {
  const groups = message.reaction_groups ?? {};
  const counts = message.reaction_counts ?? {};
  const types = Object.keys(groups).length > 0 ? Object.keys(groups) : Object.keys(counts);
  return types
    .map((type) => ({
      type,
      count: groups[type]?.count ?? counts[type] ?? 0,
      first: groups[type]?.first_reaction_at ?? '',
    }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => a.first.localeCompare(b.first))
    .map(({ type, count }) => ({ type, count }));
}

/** Whether the signed-in user has reacted to `message` with `type`. */
export function hasOwnReaction(message: ChatMessage, type: string): boolean {
  return (message.own_reactions ?? []).some((reaction) => reaction.type === type);
}

/** Adds the user's reaction of `type`, or takes it back when they already gave it. */
export function useToggleReaction(): (message: ChatMessage, type: string) => Promise<boolean> {
  const { channel } = useChat();
  const request = useRequest();
  return (message, type) =>
    request(() =>
      hasOwnReaction(message, type)
        ? channel.deleteReaction(message.id, type)
        : channel.sendReaction(message.id, { type }),
    );
}

/** The chips under a message: emoji and count; the user's own are highlighted; a click toggles. */
export function ReactionChips({ message }: { message: ChatMessage }) {
  const { capabilities } = useChat();
  const toggle = useToggleReaction();
  const types = reactionTypes(message);
  if (types.length === 0 || message.type === 'deleted') return null;
  const canReact = capabilities.has('send-reaction');
  return (
    <ul className="reactions" aria-label="Reactions">
      {types.map(({ type, count }) => {
        const own = hasOwnReaction(message, type);
        const who = (message.latest_reactions ?? [])
          .filter((reaction) => reaction.type === type)
          .map((reaction) => displayName(reaction.user ?? { id: reaction.user_id }));
        const label = REACTIONS.find((reaction) => reaction.type === type)?.label ?? type;
        return (
          <li key={type}>
            <button
              type="button"
              className={own ? 'reaction-chip own' : 'reaction-chip'}
              data-testid="reaction-chip"
              data-type={type}
              data-own={own}
              aria-pressed={own}
              aria-label={`${label}: ${count}${own ? ', including you' : ''}`}
              title={who.length > 0 ? who.join(', ') : undefined}
              disabled={!canReact}
              onClick={() => void toggle(message, type)}
            >
              <span aria-hidden>{reactionEmoji(type)}</span>
              <span className="count" data-testid="reaction-count">
                {count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
