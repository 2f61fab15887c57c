/**
 * Who may read the dashboard. On a loopback address (the default, 127.0.0.1) only this
 * machine can connect; requests must name a loopback host, so that a web page elsewhere
 * cannot reach the dashboard through DNS rebinding. Any other address needs a token, and
 * with a token every request must carry it: `Authorization: Bearer <token>`, a `?token=`
 * query (which also sets a cookie, so a browser opened on the printed link keeps working),
 * or that cookie. Anything else gets 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValueError } from '../errors.js';

export const TOKEN_COOKIE = 'shendu_ui_token';

/** Whether `host` (a name or an address to bind or to connect to) is this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Throws unless binding `host` is allowed: loopback, or any address with a token. */
export function checkBinding(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new ValueError(
      `ui: binding ${host} makes the dashboard reachable from other machines; give a token with --token <token> or SHENDU_UI_TOKEN ` +
        `(or bind 127.0.0.1)`,
    );
  }
  if (token !== undefined && token.length < 8) throw new ValueError(`ui: the token must have at least 8 characters, got ${token.length}`);
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function hostName(hostHeader: string | undefined): string {
  const h = hostHeader ?? '';
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
}

/** The onRequest hook enforcing the rules above. */
export function accessHook(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!token) {
      if (!isLoopback(hostName(request.headers.host))) {
        await deny(reply, 403, `host '${request.headers.host ?? ''}' is not allowed: open the dashboard as http://127.0.0.1 or http://localhost`);
      }
      return;
    }
    const url = new URL(request.url, 'http://dashboard');
    const queryToken = url.searchParams.get('token');
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const given = bearer ?? queryToken ?? cookieToken(request.headers.cookie);
    if (given === undefined || given === null || !sameSecret(given, token)) {
      const message = given ? 'wrong token' : 'this dashboard needs a token: open the link printed by `shendu ui` (…/?token=<token>) or send Authorization: Bearer <token>';
      await deny(reply, 401, message);
      return;
    }
    if (queryToken !== null) {
      reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
    }
  };
}

async function deny(reply: FastifyReply, status: number, message: string): Promise<void> {
  const html = /text\/html/.test(reply.request.headers.accept ?? '');
  if (html) {
    await reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><meta charset="utf-8"><title>Shendu</title><body style="font:15px system-ui;margin:3em"><h2>${status === 401 ? 'Token required' : 'Forbidden'}</h2><p>${escapeHtml(message)}</p>`);
  } else {
    await reply.code(status).send({ error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
