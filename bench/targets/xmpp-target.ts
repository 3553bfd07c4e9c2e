// ejabberd as a bench target, over the bench's own XMPP client. Accounts are
// registered in-band on first use and reused across repetitions.

import { benchText } from '../feige/envelopes';
import { mapConcurrent } from '../feige/users';
import { escapeXml } from '../xmpp/xml-stream';
import { XmppClient } from '../xmpp/client';
import { EJABBERD_DOMAIN, MUC_DOMAIN, type EjabberdServer } from '../xmpp/ejabberd';
import { residentBytes } from '../system/processes';
import { LOOPBACK } from '../system/ports';
import { requireOneReceiverPerMember, type ConnectOptions, type Connection, type GroupSupport, type PreparedMessage, type Target, type TargetUser } from './target';

const PASSWORD = 'bench-password-0123';
/** Logins in flight while a group or a pool connects. */
const CONNECT_CONCURRENCY = 25;

export class XmppTarget implements Target {
  readonly label: string;
  readonly groups: GroupSupport;
  private readonly registered = new Set<string>();

  constructor(private readonly server: EjabberdServer) {
    this.label = server.mode === 'archive' ? 'ejabberd + archive' : 'ejabberd, no archive';
    this.groups = {
      prepareGroup: async (groupId, members, receivers, options) => {
        requireOneReceiverPerMember(this.label, members, receivers);
        const room = `${groupId}@${MUC_DOMAIN}`;
        const clients = await mapConcurrent(members.length, CONNECT_CONCURRENCY, async (index) => {
          const client = await this.open(members[index]!, {
            ...options,
            onMessage: (key) => options.onMemberMessage(index, key),
          });
          return client;
        });
        // The first join creates and configures the room; the others join it afterwards.
        await clients[0]!.joinRoom(room, 'm0', options.timeoutMs);
        await mapConcurrent(clients.length - 1, CONNECT_CONCURRENCY, (i) =>
          clients[i + 1]!.joinRoom(room, `m${i + 1}`, options.timeoutMs),
        );
        return {
          connections: clients.map((client) => this.connection(client)),
          send: (senderIndex, key) => clients[senderIndex]!.sendGroupchat(room, key, benchText(0)),
        };
      },
    };
  }

  async chatUsers(count: number): Promise<TargetUser[]> {
    return Array.from({ length: count }, (_, i) => ({ id: `u${i}` }));
  }

  plainUsers(count: number): Promise<TargetUser[]> {
    return this.chatUsers(count);
  }

  async prepareMessages(_from: TargetUser, to: TargetUser, count: number, tag: string): Promise<PreparedMessage[]> {
    const jid = `${to.id}@${EJABBERD_DOMAIN}`;
    return Array.from({ length: count }, (_, i) => {
      const key = `${tag}-${i}`;
      const wire = `<message to='${jid}' type='chat' id='${key}'><body>${escapeXml(benchText(i))}</body></message>`;
      return { key, to, wire };
    });
  }

  /**
   * Logs in, sends initial presence and waits for a ping result, so that the
   * presence was processed before any message to the user is sent. A quick
   * run once lost one of 20 online users' messages without it, likely that way.
   */
  async connect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    const client = await this.open(user, options);
    await client.ping(options.timeoutMs);
    return this.connection(client);
  }

  /** Sends the backlog to an offline user, then pings: the ping result means ejabberd stored all of it. */
  async storeBacklog(messages: PreparedMessage[], from: TargetUser, timeoutMs: number): Promise<void> {
    const recipient = messages[0]?.to;
    if (recipient && !this.registered.has(recipient.id)) {
      const registration = await this.open(recipient, { onMessage: () => {}, onProblem: () => {}, timeoutMs }, false);
      await registration.close();
    }
    const client = await this.open(from, { onMessage: () => {}, onProblem: () => {}, timeoutMs }, false);
    try {
      for (const message of messages) client.sendRaw(message.wire);
      await client.ping(timeoutMs);
    } finally {
      await client.close();
    }
  }

  /** Logs in and sends initial presence, on which ejabberd delivers the stored offline messages. */
  async catchUp(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.connection(await this.open(user, options));
  }

  /** Logs in again as connect does, so the session is fully routed when it returns. */
  reconnect(user: TargetUser, options: ConnectOptions): Promise<Connection> {
    return this.connect(user, options);
  }

  serverRss(): number | undefined {
    const pid = this.server.beamPid();
    return pid === undefined ? undefined : residentBytes(pid);
  }

  serverPid(): number | undefined {
    return this.server.beamPid();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async open(user: TargetUser, options: ConnectOptions, presence = true): Promise<XmppClient> {
    const register = !this.registered.has(user.id);
    const client = await XmppClient.open(
      { host: LOOPBACK, port: this.server.port, domain: EJABBERD_DOMAIN, username: user.id, password: PASSWORD, resource: `bench${options.instance ?? 0}` },
      { register, presence, timeoutMs: options.timeoutMs },
    );
    this.registered.add(user.id);
    client.onMessage = (stanza) => {
      const id = stanza.attrs.id;
      if (id) options.onMessage(id);
      else options.onProblem(`message stanza without id from ${stanza.attrs.from ?? 'unknown'}`);
    };
    return client;
  }

  private connection(client: XmppClient): Connection {
    return {
      send: (message) => client.sendRaw(message.wire),
      close: () => client.close(),
      drop: () => client.destroy(),
    };
  }
}
