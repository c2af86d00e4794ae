/**
 * NIS1 JSON shapes (as a real node sends them) and the engine's normalised `Transfer` record.
 */

export const TX_TYPE = {
  TRANSFER: 257,
  IMPORTANCE_TRANSFER: 2049,
  MULTISIG_MODIFICATION: 4097,
  MULTISIG_SIGNATURE: 4098,
  MULTISIG: 4100,
  PROVISION_NAMESPACE: 8193,
  MOSAIC_DEFINITION: 16385,
  MOSAIC_SUPPLY: 16386,
} as const;

/** `version` = (networkByte << 24) | txVersion as signed int32; mainnet v1/v2. */
export const MAINNET_V1 = 0x68000001; // 1744830465
export const MAINNET_V2 = 0x68000002; // 1744830466

export interface NisHash {
  data: string;
}
export interface NisMessage {
  payload?: string;
  type?: number;
}
export interface NisMosaic {
  mosaicId: { namespaceId: string; name: string };
  quantity: number;
}

export interface NisTransaction {
  timeStamp: number;
  signature?: string;
  fee: number;
  type: number;
  deadline: number;
  version: number;
  signer: string;
  // transfer (257)
  amount?: number;
  recipient?: string;
  message?: NisMessage;
  mosaics?: NisMosaic[];
  // multisig (4100)
  otherTrans?: NisTransaction;
  signatures?: NisTransaction[];
  // multisig signature (4098)
  otherHash?: NisHash;
  otherAccount?: string;
  // other types carry further fields we do not model
  [key: string]: unknown;
}

export interface NisTransactionMetaData {
  height: number;
  id: number;
  hash: NisHash;
  innerHash: NisHash | Record<string, never>;
}

export interface NisTransactionMetaDataPair {
  meta: NisTransactionMetaData;
  transaction: NisTransaction;
}

export interface NisErrorBody {
  timeStamp: number;
  error: string;
  message: string;
  status: number;
}

/** One mosaic moved by a transfer, in the mosaic's smallest units (decimal string: may pass 2^53). */
export interface MovedMosaic {
  namespaceId: string;
  name: string;
  quantity: string;
}

/**
 * A transfer as the engine sees it (docs/nis1.md §7). All amounts are integer µXEM (safe integers:
 * the supply is below 2^53). `amount` is the XEM actually moved (v2 multiplier rule; 0 for a
 * self-transfer or a v2 transfer without nem:xem). `fee` is everything debited from `sender` on
 * top: for a multisig transfer the inner fee + outer fee + cosignature fees.
 */
export interface Transfer {
  /** Outer transaction hash, 64 lower-case hex: the global key. */
  hash: string;
  /** Inner transfer hash of a multisig (4100) wrapper, else null. */
  innerHash: string | null;
  height: number;
  /** NEM timestamp (seconds since nemesis) of the (inner) transfer. */
  timeStamp: number;
  /** ISO-8601 UTC of `timeStamp`. */
  time: string;
  /** Economic sender: signer of the transfer, or the multisig account for 4100. */
  sender: string;
  recipient: string;
  /** XEM moved, µXEM. */
  amount: number;
  /** Fees debited from `sender`, µXEM. */
  fee: number;
  /** Plain message decoded as UTF-8 (the deposit memo), null when absent or encrypted. */
  message: string | null;
  /** 0 none, 1 plain, 2 encrypted. */
  messageType: number;
  mosaics: MovedMosaic[];
  /** 257, or 4100 for a multisig-wrapped transfer. */
  type: number;
  /** Address of the outer signer (the initiating cosignatory for 4100, else = sender). */
  signer: string;
  /**
   * Index of the (outer) transaction in its block's `transactions` as `/block/at/public` lists them
   * (NIS executes a block in that order, docs/taint-semantics.md §2); absent when not known. Not part of the
   * transfer's stored record: the store keeps it apart (src/store/keys.ts, `pos`).
   */
  position?: number;
}

/** A non-transfer item of an account list (recorded for counts, not modelled). */
export interface OtherTransaction {
  hash: string;
  height: number;
  timeStamp: number;
  type: number;
  signer: string;
  fee: number;
}

export type NormalizedTransaction = { kind: 'transfer'; transfer: Transfer } | { kind: 'other'; other: OtherTransaction };
