/**
 * Where the Jatte backend is, as the browser sees it. By default the page's own host name on port
 * 8000 (`tools/dev backend`), so a phone on the LAN reaches the laptop that served the page. Set at
 * build time to point elsewhere; `next build` inlines NEXT_PUBLIC_* values:
 *   NEXT_PUBLIC_JATTE_API_URL  http://127.0.0.1:8123           (HTTP: the dev token endpoint)
 *   NEXT_PUBLIC_JATTE_WS_URL   ws://127.0.0.1:8123/ws/chat/    (default: derived from the API URL)
 */

/** The backend's HTTP origin, e.g. `http://localhost:8000`. */
export function backendApiUrl(): string {
  const configured = process.env.NEXT_PUBLIC_JATTE_API_URL;
  return (configured || `${window.location.protocol}//${window.location.hostname}:8000`).replace(
    /\/+$/,
    '',
  );
}

/** The chat socket's URL, without the token query string. */
export function backendWsUrl(): string {
  const configured = process.env.NEXT_PUBLIC_JATTE_WS_URL;
  if (configured) return configured;
  return `${backendApiUrl().replace(/^http/, 'ws')}/ws/chat/`;
}

/** What the development-only token endpoint answers. */
export interface DevToken {
  token: string;
  user: { id: string; name: string };
}

/** Asks the backend's development-only endpoint (DJANGO_DEBUG=1) for a demo user's token. */
export async function fetchDevToken(userId: string, name: string): Promise<DevToken> {
  const query = new URLSearchParams({ user_id: userId, name });
  const url = `${backendApiUrl()}/api/dev/token?${query}`;
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    throw new Error(
      `Cannot reach the backend at ${url}: ${(error as Error).message}. Is \`tools/dev backend\` running?`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `The backend refused a demo token (${response.status} from ${url}); it serves them only with DJANGO_DEBUG=1.`,
    );
  }
  return (await response.json()) as DevToken;
}
