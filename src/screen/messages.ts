/**
 * The transfer messages of a taint index, packed (layout @5, index-file.ts): the rows that carry a message, ascending
 * (`msgRows`), where each one's UTF-8 bytes end (`msgEnd`, parallel to it), and the bytes one after another
 * (`msgBytes`). A row not listed has none (null); an empty message is listed with no bytes. Read from the file as they
 * are — no JSON to parse, no string or array slot per transfer held (most transfers carry no message): a message is
 * decoded when a transfer is asked for.
 */
import { isUtf8 } from 'node:buffer';

export interface MessageArrays {
  msgRows: Int32Array;
  msgEnd: Int32Array;
  msgBytes: Uint8Array;
}

export const MESSAGE_ARRAYS = { msgRows: 'Int32Array', msgEnd: 'Int32Array', msgBytes: 'Uint8Array' } as const;

/** A list of messages by transfer row, as an array of them answers it. */
export interface MessageList {
  readonly length: number;
  at(row: number): string | null | undefined;
}

/** The messages of `transfers` rows held packed; `at(row)` decodes one. Checked by checkMessages, not here. */
export class PackedMessages implements MessageList {
  private readonly text: Buffer;

  constructor(
    readonly arrays: MessageArrays,
    readonly length: number,
  ) {
    const b = arrays.msgBytes;
    this.text = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }

  at(row: number): string | null {
    const { msgRows, msgEnd } = this.arrays;
    let lo = 0;
    let hi = msgRows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = msgRows[mid];
      if (r === row) return this.text.toString('utf8', mid === 0 ? 0 : msgEnd[mid - 1], msgEnd[mid]);
      if (r < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  toArray(): (string | null)[] {
    const out = new Array<string | null>(this.length).fill(null);
    const { msgRows, msgEnd } = this.arrays;
    for (let k = 0; k < msgRows.length; k++) out[msgRows[k]] = this.text.toString('utf8', k === 0 ? 0 : msgEnd[k - 1], msgEnd[k]);
    return out;
  }
}

/** A list of messages (null: none) packed. */
export function packMessages(list: readonly (string | null)[]): MessageArrays {
  const rows: number[] = [];
  const texts: Buffer[] = [];
  for (let r = 0; r < list.length; r++) {
    const m = list[r];
    if (m === null) continue;
    rows.push(r);
    texts.push(Buffer.from(m, 'utf8'));
  }
  const msgEnd = new Int32Array(rows.length);
  let end = 0;
  for (let k = 0; k < texts.length; k++) msgEnd[k] = end += texts[k].length;
  return { msgRows: Int32Array.from(rows), msgEnd, msgBytes: new Uint8Array(Buffer.concat(texts, end)) };
}

/**
 * Whether packed messages can be read for `transfers` rows: rows ascending inside the table, each message's end at or
 * after the one before and the last at the end of the bytes, the bytes UTF-8 and no message ending inside a character.
 * A description of the first problem, or null.
 */
export function checkMessages(a: MessageArrays, transfers: number): string | null {
  const { msgRows, msgEnd, msgBytes } = a;
  if (msgEnd.length !== msgRows.length) return 'message rows and ends differ in length';
  let row = -1;
  let end = 0;
  for (let k = 0; k < msgRows.length; k++) {
    if (msgRows[k] <= row || msgRows[k] >= transfers) return `message ${k} row`;
    if (msgEnd[k] < end || msgEnd[k] > msgBytes.length) return `message ${k} end`;
    // each message whole: the next one starts a character (with the bytes UTF-8, every message is then UTF-8)
    if (msgEnd[k] < msgBytes.length && (msgBytes[msgEnd[k]] & 0xc0) === 0x80) return `message ${k} ends inside a character`;
    row = msgRows[k];
    end = msgEnd[k];
  }
  if (end !== msgBytes.length) return 'message bytes length';
  if (!isUtf8(msgBytes)) return 'message bytes are not UTF-8';
  return null;
}
