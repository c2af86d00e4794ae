/**
 * Real mainnet TransactionMetaDataPairs, copied literally from NEM's exchange-integration guide (docs/nis1.md §6) (NEM's exchange
 * integration guide, NemProject/miscellaneous gh-pages). Shared by the serialisation and
 * normalisation tests; every call returns a fresh deep copy so tests may mutate it.
 */
import type { NisTransactionMetaDataPair } from '../../src/nem/types.js';

const V1_TRANSFER = {
  meta: {
    innerHash: {},
    id: 1307939,
    hash: { data: '86a1a104e316b23d6b70100165a5b7398b017f9081e658ec7597a019919665eb' },
    height: 1412114,
  },
  transaction: {
    timeStamp: 85497762,
    amount: 1001000000,
    signature:
      '3b0369f3fee1afea7d7aafa2cd197ec1de6917982e6603cbd108d2e92a1a181fff384fc819a36700ea6ad69ab4c54d20577461fb85e310ac63ad4ccb2a79a209',
    fee: 50000,
    recipient: 'NC2KPEXZDILXDWO6Y2OY4W7FRSVFGKYC7VB6W4D4',
    type: 257,
    deadline: 85584162,
    message: {},
    version: 1744830465,
    signer: 'd7e062d8c08329cf316289f7c1a6ae87ee07e8033f2eccd6042ba3d5c6c2ddca',
  },
};

const V2_MOSAICS = {
  meta: {
    innerHash: {},
    id: 645570,
    hash: { data: 'ef33af9b121f9891717bd582cd075435a93bff7fd568816f7bf2a0a5207b9447' },
    height: 987691,
  },
  transaction: {
    timeStamp: 59821608,
    amount: 2000000,
    signature:
      '76732f5af6f2d2a0a31ce46d526bf333195bbb409bdd5a9801a390d8d42619d8ba54680b4038d58c4722819ca211952e82221fd3b36665d0453fc283f6998308',
    fee: 2000000,
    recipient: 'NDY4RHUZ3CZOZ53O5HNEXTEM7UF5X3MMDGH4IMAD',
    mosaics: [
      { quantity: 1000000, mosaicId: { namespaceId: 'nem', name: 'xem' } },
      { quantity: 1, mosaicId: { namespaceId: 'nextem', name: 'nex' } },
    ],
    type: 257,
    deadline: 59908008,
    message: {},
    version: 1744830466,
    signer: '099132a49ed0c15936a464cf6ef43120f01fa88835803593571882feea6161db',
  },
};

const MULTISIG = {
  meta: {
    innerHash: { data: 'c74f36e32561f1e701bc078cd4aad88d9635d88697ebbb423aa277e207406069' },
    id: 1870489,
    hash: { data: '3eef4c05b4018d2d32c62b24dcfd2f98d50daf6be8622fa20c7eca4d9c58487c' },
    height: 1562196,
  },
  transaction: {
    timeStamp: 94577007,
    signature:
      '78165861fc817f7f37a0068e9dbd716e576de9b669aef64c21b72b302663e2ff8a0d9cbf92fd8c21aa0dc8ee013706269030d758d471394ec4c7cc02e066ab02',
    fee: 500000,
    type: 4100,
    deadline: 94580607,
    version: 1744830465,
    signatures: [
      {
        timeStamp: 94577079,
        otherHash: { data: 'c74f36e32561f1e701bc078cd4aad88d9635d88697ebbb423aa277e207406069' },
        otherAccount: 'NAGJG3QFWYZ37LMI7IQPSGQNYADGSJZGJRD2DIYA',
        signature:
          '69fcd4d661d9b6ac5625086a071dfe852e7c33576f019995b27be73b9c2652ccb47b40f335e980a45b63871d78a411528f82f879239c5b42445e66d40de4ae0e',
        fee: 500000,
        type: 4098,
        deadline: 94663479,
        version: 1744830465,
        signer: 'ae6754c70b7e3ba0c51617c8f9efd462d0bf680d45e09c3444e817643d277826',
      },
    ],
    signer: 'aa455d831430872feb0c6ae14265209182546c985a321c501be7fdc96ed04757',
    otherTrans: {
      timeStamp: 94577007,
      amount: 868000000,
      fee: 100000,
      recipient: 'NC64UFOWRO6AVMWFV2BFX2NT6W2GURK2EOX6FFMZ',
      type: 257,
      deadline: 94580607,
      message: { payload: '313030393138383233', type: 1 },
      version: 1744830465,
      signer: 'fbae41931de6a0cc25153781321f3de0806c7ba9a191474bb9a838118c8de4d3',
    },
  },
};

const copy = <T>(v: T): T => structuredClone(v);

/** §1.3 (a): v1 transfer of 1,001 XEM. */
export const v1Transfer = (): NisTransactionMetaDataPair => copy(V1_TRANSFER);
/** §1.3 (b): v2 transfer, multiplier 2,000,000 with 1 XEM + 1 nextem:nex per unit. */
export const v2Mosaics = (): NisTransactionMetaDataPair => copy(V2_MOSAICS);
/** §1.3 (c): 4100 from the Zaif multisig NAGJG3QF… to the Binance deposit address, one cosignature. */
export const multisigTransfer = (): NisTransactionMetaDataPair => copy(MULTISIG);
