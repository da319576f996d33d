// A forwarding HTTP proxy for pkce-tray's tests, as a corporate network has
// one: CONNECT tunnels (for https) and absolute-form requests (for http).
// It resolves the host names given with --map itself, so a name that only
// the proxy knows makes the provider unreachable except through it, and it
// forwards to those names alone: any other host is refused (403), so no
// request ever leaves the machine.
//
//   node proxy.mjs --log FILE [--map NAME=ADDRESS ...]
//
// stdout carries exactly one line, `READY <port>`, once it listens on
// 127.0.0.1; FILE gets one line per request: `CONNECT host:port` or
// `GET http://host:port/path` (never a query string), or `REFUSED host`.

import { appendFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    log: { type: 'string' },
    map: { type: 'string', multiple: true, default: [] },
  },
  strict: true,
});
if (!opts.log) {
  console.error('proxy: --log FILE is required');
  process.exit(2);
}
const names = new Map(opts.map.map((pair) => pair.split('=', 2)));
const resolve = (host) => names.get(host);
const record = (line) => appendFileSync(opts.log, `${line}\n`);

const server = createServer((req, res) => {
  let target;
  try {
    target = new URL(req.url);
  } catch {
    res.writeHead(400).end('absolute-form request URL expected\n');
    return;
  }
  if (!resolve(target.hostname)) {
    record(`REFUSED ${target.host}`);
    res.writeHead(403).end();
    return;
  }
  record(`${req.method} ${target.protocol}//${target.host}${target.pathname}`);
  const upstream = httpRequest({
    host: resolve(target.hostname),
    port: target.port || 80,
    method: req.method,
    path: `${target.pathname}${target.search}`,
    headers: req.headers,
  }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
});

server.on('connect', (req, client, head) => {
  const [host, port] = req.url.split(/:(?=\d+$)/);
  if (!resolve(host)) {
    record(`REFUSED ${req.url}`);
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  record(`CONNECT ${req.url}`);
  const upstream = connect(Number(port) || 443, resolve(host), () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  client.on('error', close);
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
