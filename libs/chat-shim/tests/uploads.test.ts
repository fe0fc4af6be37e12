/**
 * channel.sendImage / sendFile over HTTP, beside the socket: a real HTTP server on a free port
 * stands in for the backend's upload endpoints (the backend's own are proven in
 * backend/tests/test_uploads.py and, through this shim in a browser, frontend/tests).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import WS from 'jest-websocket-mock';

import { ChatError, LocalChatClient } from '../index';
import { CID, alice, healthCheck, nextConnection } from './fixtures';

type Seen = { method?: string; url?: string; authorization?: string; type?: string; body: string };

let http: Server;
let ws: WS;
let client: LocalChatClient;
let seen: Seen[];
let answer: { status: number; body: string; type?: string };

const read = (request: IncomingMessage): Promise<string> =>
  new Promise((done) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks).toString('latin1')));
  });

beforeEach(async () => {
  seen = [];
  answer = { status: 200, body: JSON.stringify({ file: 'http://x/f', thumb_url: 'http://x/t' }) };
  http = createServer(async (request, response) => {
    // jsdom's XMLHttpRequest keeps to CORS as a browser does: the page is http://localhost.
    response.setHeader('Access-Control-Allow-Origin', 'http://localhost');
    response.setHeader('Access-Control-Allow-Headers', 'Authorization');
    const body = await read(request);
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const { method, url, headers } = request;
    seen.push({
      method,
      url,
      authorization: headers.authorization,
      type: headers['content-type'],
      body,
    });
    response.writeHead(answer.status, { 'Content-Type': answer.type ?? 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((ready) => http.listen(0, '127.0.0.1', ready));
  const wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws/chat/`;
  ws = new WS(wsUrl, { jsonProtocol: true });
  client = new LocalChatClient({ wsUrl });
  const socket = nextConnection(ws);
  const connected = client.connectUser(alice, 'token-alice');
  await socket;
  ws.send(healthCheck());
  await connected;
});

afterEach(async () => {
  await client.disconnectUser();
  WS.clean();
  await new Promise((closed) => http.close(closed));
});

test('sendImage posts the file to the channel image endpoint on the socket host with its token', async () => {
  const progress: number[] = [];
  const photo = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
  const done = await client
    .channel('messaging', 'general')
    .sendImage(photo, undefined, undefined, undefined, {
      onUploadProgress: (e) => progress.push(e.loaded),
    });
  expect(done).toEqual({ file: 'http://x/f', thumb_url: 'http://x/t' });
  expect(seen).toHaveLength(1);
  const [request] = seen;
  expect(request.method).toBe('POST');
  expect(request.url).toBe(`/api/channels/${CID.replace(':', '/')}/image`);
  expect(request.authorization).toBe('token-alice'); // raw, as Stream's SDK sends it
  expect(request.type).toMatch(/^multipart\/form-data; boundary=/);
  expect(request.body).toContain('name="file"; filename="cat.png"');
  expect(request.body).toContain('Content-Type: image/png');
  expect(request.body).toContain('\x89PNG');
  expect(progress.length).toBeGreaterThan(0);
});

test('sendFile names the file and its type as given, on the file endpoint', async () => {
  const data = new Blob(['a,b\n1,2\n']);
  await client.channel('messaging', 'general').sendFile(data, 'sheet.csv', 'text/csv');
  expect(seen[0].url).toBe('/api/channels/messaging/general/file');
  expect(seen[0].body).toContain('filename="sheet.csv"');
  expect(seen[0].body).toContain('Content-Type: text/csv');
  expect(seen[0].body).toContain('a,b\n1,2\n');
});

test('a refused upload rejects with a ChatError carrying the code the server named', async () => {
  answer = {
    status: 415,
    body: JSON.stringify({
      code: 'file_type_not_allowed',
      message: '.exe files may not be uploaded',
    }),
  };
  const sent = client.channel('messaging', 'general').sendFile(new Blob(['MZ']), 'setup.exe');
  await expect(sent).rejects.toThrow(ChatError);
  await expect(sent).rejects.toMatchObject({
    code: 'file_type_not_allowed',
    message: '.exe files may not be uploaded',
  });
});

test('an answer that is not JSON (a proxy error page) still rejects, with its status', async () => {
  answer = { status: 502, body: '<html>Bad gateway</html>', type: 'text/html' };
  const sent = client.channel('messaging', 'general').sendImage(new Blob(['x']), 'x.png');
  await expect(sent).rejects.toMatchObject({ code: 'internal_error', message: 'HTTP 502' });
});

test('an upload can be cancelled with an AbortSignal', async () => {
  const abort = new AbortController();
  const sent = client
    .channel('messaging', 'general')
    .sendFile(new Blob(['x']), 'x.txt', 'text/plain', undefined, { signal: abort.signal });
  abort.abort();
  await expect(sent).rejects.toMatchObject({ code: 'internal_error' });
});

test('an upload before connecting, or after disconnecting, is refused without a request', async () => {
  const offline = new LocalChatClient({ wsUrl: 'ws://127.0.0.1:1/ws/chat/' });
  const before = offline.channel('messaging', 'general').sendFile(new Blob(['x']), 'x');
  await expect(before).rejects.toMatchObject({ code: 'unauthenticated' });
  const general = client.channel('messaging', 'general');
  await client.disconnectUser();
  await expect(general.sendFile(new Blob(['x']), 'x')).rejects.toMatchObject({
    code: 'unauthenticated',
  });
  expect(seen).toHaveLength(0);
});
