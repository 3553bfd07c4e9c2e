// A minimal XMPP client on `net` for the bench. It speaks plain TCP to
// 127.0.0.1 with TLS off, because ejabberd is configured without STARTTLS,
// like Feige's local ws://. It covers in-band registration (XEP-0077), SASL
// PLAIN, resource binding, presence, 1:1 message stanzas and MUC (XEP-0045)
// join and groupchat.

import { connect, type Socket } from 'node:net';
import { childNamed, escapeXml, XmlStreamParser, type XmlElement } from './xml-stream';

export interface XmppAccount {
  host: string;
  port: number;
  /** The XMPP domain, for example `bench.localhost`. */
  domain: string;
  username: string;
  password: string;
  /** The resource to bind; one account's concurrent sessions need distinct ones, or ejabberd closes the older session. Default `bench`. */
  resource?: string;
}

export interface XmppOptions {
  /** Registers the account in-band first; an existing account (409 conflict) is fine. */
  register?: boolean;
  timeoutMs: number;
}

type StanzaWaiter = { match(stanza: XmlElement): boolean; resolve(stanza: XmlElement): void };

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const NS_REGISTER = 'jabber:iq:register';
const NS_MUC = 'http://jabber.org/protocol/muc';
const NS_MUC_OWNER = 'http://jabber.org/protocol/muc#owner';

export class XmppClient {
  /** Called for every `message` stanza that carries a body. */
  onMessage: (stanza: XmlElement) => void = () => {};
  /** The full JID after binding. */
  jid = '';

  private readonly parser: XmlStreamParser;
  private waiters: StanzaWaiter[] = [];
  private iqCounter = 0;
  private closed = false;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly account: XmppAccount,
  ) {
    this.parser = new XmlStreamParser({
      onStreamStart: () => {},
      onStanza: (stanza) => this.dispatch(stanza),
      onStreamEnd: () => this.socket.end(),
    });
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.parser.feed(chunk));
    socket.on('error', (error) => this.fail(new Error(`XMPP connection of ${account.username} failed: ${error.message}`)));
    socket.on('close', () => {
      this.closed = true;
      this.fail(new Error(`XMPP connection of ${account.username} closed`));
    });
  }

  /** Connects, optionally registers, authenticates, binds a resource and, when `presence` is set, sends initial presence. */
  static async open(account: XmppAccount, options: XmppOptions & { presence: boolean }): Promise<XmppClient> {
    const socket = connect({ host: account.host, port: account.port });
    const client = new XmppClient(socket, account);
    try {
      await client.withTimeout(new Promise<void>((resolve) => socket.once('connect', () => resolve())), options.timeoutMs, 'connect');
      await client.login(options);
      if (options.presence) client.write('<presence/>');
      return client;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  private async login(options: XmppOptions): Promise<void> {
    const { domain, username, password } = this.account;
    let features = await this.openStream(options.timeoutMs);

    if (options.register) {
      const id = this.nextId();
      const reply = this.waitFor((stanza) => stanza.name === 'iq' && stanza.attrs.id === id, options.timeoutMs, 'register');
      this.write(
        `<iq type='set' id='${id}'><query xmlns='${NS_REGISTER}'><username>${escapeXml(username)}</username>` +
          `<password>${escapeXml(password)}</password></query></iq>`,
      );
      const result = await reply;
      const conflict = childNamed(result, 'error')?.attrs.code === '409';
      if (result.attrs.type !== 'result' && !conflict) throw new Error(`in-band registration of ${username} failed: ${describe(result)}`);
    }

    const mechanisms = childNamed(features, 'mechanisms');
    if (!mechanisms?.children.some((child) => child.text === 'PLAIN')) {
      throw new Error(`ejabberd offers no SASL PLAIN to ${username}: ${describe(features)}`);
    }
    const authReply = this.waitFor((stanza) => stanza.attrs.xmlns === NS_SASL, options.timeoutMs, 'SASL');
    const credentials = Buffer.from(`\0${username}\0${password}`).toString('base64');
    this.write(`<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${credentials}</auth>`);
    const auth = await authReply;
    if (auth.name !== 'success') throw new Error(`SASL PLAIN of ${username}@${domain} failed: ${describe(auth)}`);

    this.parser.reset();
    features = await this.openStream(options.timeoutMs);
    if (!childNamed(features, 'bind')) throw new Error(`ejabberd offers no resource binding: ${describe(features)}`);

    const id = this.nextId();
    const bindReply = this.waitFor((stanza) => stanza.name === 'iq' && stanza.attrs.id === id, options.timeoutMs, 'bind');
    this.write(`<iq type='set' id='${id}'><bind xmlns='${NS_BIND}'><resource>${escapeXml(this.account.resource ?? 'bench')}</resource></bind></iq>`);
    const bound = await bindReply;
    const jid = bound.attrs.type === 'result' ? childNamed(childNamed(bound, 'bind') ?? bound, 'jid')?.text : undefined;
    if (!jid) throw new Error(`resource binding of ${username} failed: ${describe(bound)}`);
    this.jid = jid;
  }

  private openStream(timeoutMs: number): Promise<XmlElement> {
    const features = this.waitFor((stanza) => stanza.name === 'stream:features', timeoutMs, 'stream features');
    this.write(
      `<?xml version='1.0'?><stream:stream to='${this.account.domain}' xmlns='jabber:client' ` +
        `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`,
    );
    return features;
  }

  /** Writes a stanza built by the caller. */
  sendRaw(stanza: string): void {
    this.write(stanza);
  }

  sendChat(to: string, id: string, body: string): void {
    this.write(`<message to='${to}' type='chat' id='${id}'><body>${escapeXml(body)}</body></message>`);
  }

  sendGroupchat(room: string, id: string, body: string): void {
    this.write(`<message to='${room}' type='groupchat' id='${id}'><body>${escapeXml(body)}</body></message>`);
  }

  /**
   * Sends an XMPP ping (XEP-0199) to the server and waits for the result.
   * ejabberd handles one connection's stanzas in order, so the result means
   * every stanza sent before it was routed (and an offline one stored).
   */
  async ping(timeoutMs: number): Promise<void> {
    const id = this.nextId();
    const reply = this.waitFor((stanza) => stanza.name === 'iq' && stanza.attrs.id === id, timeoutMs, 'ping');
    this.write(`<iq type='get' id='${id}' to='${this.account.domain}'><ping xmlns='urn:xmpp:ping'/></iq>`);
    const response = await reply;
    if (response.attrs.type !== 'result') throw new Error(`ping of ${this.account.username} failed: ${describe(response)}`);
  }

  /** Joins a MUC room without history; the first occupant creates it and accepts the default configuration. */
  async joinRoom(room: string, nick: string, timeoutMs: number): Promise<void> {
    const occupant = `${room}/${nick}`;
    const joined = this.waitFor(
      (stanza) => stanza.name === 'presence' && stanza.attrs.from === occupant,
      timeoutMs,
      `join of ${occupant}`,
    );
    this.write(`<presence to='${occupant}'><x xmlns='${NS_MUC}'><history maxstanzas='0'/></x></presence>`);
    const presence = await joined;
    if (presence.attrs.type === 'error') throw new Error(`joining ${occupant} failed: ${describe(presence)}`);

    const statusCodes = (childNamed(presence, 'x')?.children ?? []).map((child) => child.attrs.code);
    if (!statusCodes.includes('201')) return;

    // A new room stays locked until its owner submits a configuration (XEP-0045 section 10.1.2).
    const id = this.nextId();
    const configured = this.waitFor((stanza) => stanza.name === 'iq' && stanza.attrs.id === id, timeoutMs, 'room configuration');
    this.write(
      `<iq type='set' to='${room}' id='${id}'><query xmlns='${NS_MUC_OWNER}'><x xmlns='jabber:x:data' type='submit'/></query></iq>`,
    );
    const reply = await configured;
    if (reply.attrs.type !== 'result') throw new Error(`configuring ${room} failed: ${describe(reply)}`);
  }

  /** Ends the stream and waits for the server to close the connection. */
  close(timeoutMs = 2_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end('</stream:stream>');
    });
  }

  /** Drops the TCP connection without ending the stream, as a network loss would. */
  destroy(): void {
    this.socket.destroy();
  }

  private write(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  private nextId(): string {
    this.iqCounter += 1;
    return `q${this.iqCounter}`;
  }

  private dispatch(stanza: XmlElement): void {
    const index = this.waiters.findIndex((waiter) => waiter.match(stanza));
    if (index !== -1) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter!.resolve(stanza);
      return;
    }
    if (stanza.name === 'message' && childNamed(stanza, 'body')) this.onMessage(stanza);
  }

  private waitFor(match: (stanza: XmlElement) => boolean, timeoutMs: number, what: string): Promise<XmlElement> {
    if (this.failure) return Promise.reject(this.failure);
    return this.withTimeout(
      new Promise<XmlElement>((resolve) => this.waiters.push({ match, resolve })),
      timeoutMs,
      what,
    );
  }

  private rejectPending: Array<(error: Error) => void> = [];

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`XMPP ${what} for ${this.account.username} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const rejectNow = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.rejectPending.push(rejectNow);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.rejectPending = this.rejectPending.filter((entry) => entry !== rejectNow);
          resolve(value);
        },
        rejectNow,
      );
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.rejectPending;
    this.rejectPending = [];
    this.waiters = [];
    for (const reject of pending) reject(error);
  }
}


function describe(stanza: XmlElement): string {
  const error = childNamed(stanza, 'error') ?? childNamed(stanza, 'failure');
  const condition = error?.children.map((child) => child.name).join(',') ?? '';
  return `<${stanza.name} type=${stanza.attrs.type ?? ''}> ${condition}`.trim();
}
