/**
 * Taint mosaics read as labels: in 2018 the NEM Foundation and volunteers marked the thief's accounts
 * by sending them mosaics (`mizunashi.coincheck_stolen_funds_do_not_accept_trades:owner_of_this_account_is_hacker`,
 * `ts:warning_dont_accept_stolen_funds`). A mosaic sent by an account labelled `tagger` labels its
 * recipient: category `thief`, the mosaic and the tagger named, the first such transfer as the source.
 * Pure; accounts that already carry a label keep it.
 */
import { rowFields, type RowList, type Transfer, type TransferFields } from '../nem/index.js';
import type { Columns, Label } from '../domain.js';

/** The category a taint mosaic gives its recipient. */
export const MOSAIC_LABEL_CATEGORY = 'thief';

/** What the rule reads of a transfer. */
export type MosaicRow = Pick<Transfer, 'hash' | 'sender' | 'recipient' | 'height' | 'timeStamp' | 'time' | 'mosaics'>;

/** A trace's transfers as columns (its table): what `addMosaicLabels` reads of them there. */
type MosaicTable = Pick<Columns, 'n' | 'sender' | 'recipient' | 'height' | 'timeStamp'> & {
  addresses: readonly string[];
  hashAt(k: number): string;
};

export function mosaicLabels(transfers: Iterable<MosaicRow>, labels: ReadonlyMap<string, Label>): Map<string, Label> {
  const out = new Map<string, Label>();
  const ordered = [...transfers].sort((a, b) => a.height - b.height || a.timeStamp - b.timeStamp || (a.hash < b.hash ? -1 : 1));
  for (const t of ordered) {
    if (t.mosaics.length === 0 || labels.get(t.sender)?.category !== 'tagger' || t.recipient === t.sender) continue;
    if (labels.has(t.recipient) || out.has(t.recipient)) continue;
    const mosaic = t.mosaics.find((m) => !(m.namespaceId === 'nem' && m.name === 'xem'));
    if (!mosaic) continue;
    out.set(t.recipient, {
      address: t.recipient,
      label: `Tagged by ${labels.get(t.sender)!.label} with ${mosaic.namespaceId}:${mosaic.name}`,
      category: MOSAIC_LABEL_CATEGORY,
      source: `taint mosaic transfer ${t.hash} (height ${t.height}, ${t.time})`,
    });
  }
  return out;
}

/**
 * Puts the taint-mosaic labels of a trace's transfers into its labels, after the trace (issue 11 item 4): the
 * accounts that received them show the label in report.json, the HTML, the index and screening answers, and
 * no taint number moves — the trace ran on the case's labels, and a mosaic label never makes an exit (when the
 * case counts `thief` as an exit category none is added). The manifest's labelSetHash stays the hash of the
 * case's label files: the mosaic labels follow from the stored transfers, which the storeDigest covers.
 * Returns how many were added.
 */
export function addMosaicLabels(result: {
  transfers: Iterable<Transfer> & RowList & Partial<TransferFields>;
  labels: Map<string, Label>;
  case: { exitCategories: readonly string[] };
  /** The transfers as columns (a trace's table): then only the rows a tagger sent are read, by their fields (no objects). */
  table?: MosaicTable;
}): number {
  if (result.case.exitCategories.includes(MOSAIC_LABEL_CATEGORY)) return 0;
  const marked = mosaicLabels(result.table === undefined ? result.transfers : sentByTaggers(result, result.table), result.labels);
  for (const [address, label] of marked) result.labels.set(address, label);
  return marked.size;
}

/**
 * The transfers sent by an account labelled `tagger` that moved mosaics (the only ones that can label), found in the
 * sender column and read from the columns and the rows' fields (nem/transfer-fields.ts).
 */
function sentByTaggers(
  result: { transfers: RowList & Partial<TransferFields>; labels: ReadonlyMap<string, Label> },
  table: MosaicTable,
): MosaicRow[] {
  const taggers = new Set<string>();
  for (const [address, l] of result.labels) if (l.category === 'tagger') taggers.add(address);
  if (taggers.size === 0) return [];
  const isTagger = new Uint8Array(table.addresses.length);
  table.addresses.forEach((a, i) => {
    if (taggers.has(a)) isTagger[i] = 1;
  });
  const fields = rowFields(result.transfers);
  const out: MosaicRow[] = [];
  for (let k = 0; k < table.n; k++) {
    if (isTagger[table.sender[k]] !== 1) continue;
    const mosaics = fields.mosaicsAt(k);
    if (mosaics.length === 0) continue;
    const [sender, recipient] = [table.addresses[table.sender[k]], table.addresses[table.recipient[k]]];
    out.push({
      hash: table.hashAt(k),
      sender,
      recipient,
      height: table.height[k],
      timeStamp: table.timeStamp[k],
      time: fields.timeAt(k),
      mosaics,
    });
  }
  return out;
}
