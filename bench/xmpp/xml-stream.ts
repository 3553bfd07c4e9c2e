// A minimal incremental parser for one XMPP stream (RFC 6120): it returns the
// stream header and each top-level stanza as a small element tree. It handles
// what ejabberd sends: elements, attributes in either quote, text and the
// five predefined entities. It does not handle CDATA, comments, DTDs or
// numeric character references, which XMPP forbids or ejabberd does not send.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export interface XmlStreamHandlers {
  onStreamStart(attrs: Record<string, string>): void;
  onStanza(stanza: XmlElement): void;
  onStreamEnd(): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&${Object.keys(ENTITIES).find((name) => ENTITIES[name] === char)};`);
}

export class XmlStreamParser {
  private buffer = '';
  /** Open elements below the stream root; the first is the stanza being read. */
  private readonly open: XmlElement[] = [];
  private inStream = false;

  constructor(private readonly handlers: XmlStreamHandlers) {}

  /** Restarts after SASL success, when both sides open a new stream on the same connection. */
  reset(): void {
    this.buffer = '';
    this.open.length = 0;
    this.inStream = false;
  }

  feed(chunk: string): void {
    this.buffer += chunk;
    let position = 0;

    while (position < this.buffer.length) {
      const tagStart = this.buffer.indexOf('<', position);
      if (tagStart === -1) {
        this.addText(this.buffer.slice(position));
        position = this.buffer.length;
        break;
      }
      if (tagStart > position) this.addText(this.buffer.slice(position, tagStart));

      const tagEnd = findTagEnd(this.buffer, tagStart);
      if (tagEnd === -1) {
        position = tagStart;
        break;
      }
      this.handleTag(this.buffer.slice(tagStart + 1, tagEnd));
      position = tagEnd + 1;
    }
    this.buffer = this.buffer.slice(position);
  }

  private addText(text: string): void {
    const current = this.open[this.open.length - 1];
    if (current) current.text += decodeEntities(text);
  }

  private handleTag(tag: string): void {
    if (tag.startsWith('?')) return;

    if (tag.startsWith('/')) {
      const closed = this.open.pop();
      if (closed === undefined) {
        this.inStream = false;
        this.handlers.onStreamEnd();
      } else if (this.open.length === 0) {
        this.handlers.onStanza(closed);
      }
      return;
    }

    const selfClosing = tag.endsWith('/');
    const element = parseOpeningTag(selfClosing ? tag.slice(0, -1) : tag);
    if (!this.inStream) {
      this.inStream = true;
      this.handlers.onStreamStart(element.attrs);
      return;
    }

    const parent = this.open[this.open.length - 1];
    if (parent) parent.children.push(element);
    if (!selfClosing) this.open.push(element);
    else if (!parent) this.handlers.onStanza(element);
  }
}

/** Index of the `>` that ends the tag starting at `start`, skipping quoted attribute values; -1 when incomplete. */
function findTagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i;
    }
  }
  return -1;
}

function parseOpeningTag(tag: string): XmlElement {
  const nameEnd = tag.search(/\s|$/);
  const attrs: Record<string, string> = {};
  const attributePattern = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (const match of tag.slice(nameEnd).matchAll(attributePattern)) {
    attrs[match[1]!] = decodeEntities(match[3] ?? match[4] ?? '');
  }
  return { name: tag.slice(0, nameEnd), attrs, children: [], text: '' };
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}
