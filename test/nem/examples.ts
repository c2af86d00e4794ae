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
          '69fcd4d661d9b6ac5625086a071dfe852e7c33576f019995b27be73b9c2652ccb47b40f335e980a45b63871d78a411528f82f879239c5b42445e66d40de' +
          '4ae0e',
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

/**
 * Real mainnet `/block/at/public` answers, as published with their full JSON: height 10000 (a NIS
 * client library's README) and height 1989616 (a harvester's post on their first harvested block,
 * signed by a delegated key; two v1 and two v2 transfers with mosaics). Their harvester signatures
 * verify over src/nem/serialize.ts `serializeBlock`.
 */
const transferIn1989616 = (
  timeStamp: number,
  amount: number,
  signature: string,
  recipient: string,
  deadline: number,
  quantity?: number,
) => ({
  timeStamp,
  amount,
  signature,
  fee: 50000,
  recipient,
  ...(quantity === undefined ? {} : { mosaics: [{ quantity, mosaicId: { namespaceId: 'native', name: 'coin' } }] }),
  type: 257,
  deadline,
  message: {},
  version: quantity === undefined ? 1744830465 : 1744830466,
  signer: 'd22b047b670fd32ad9fa421a37415ab0677a786b916cad34820bcd395066cd49',
});

const BLOCK_10000 = {
  timeStamp: 708668,
  signature:
    '4cdef7f7e9ced87d8e76e11fe38d37c6626cdb230b2221bb4c084f6bf71f4d187e4d9b353ecbd99937dee6d5f2333866141eed4cd96cdad6d720b382c1f6f502',
  prevBlockHash: { data: '88c241cfa57263ced09206e2ccf21bec2c5c9e7f161f2fb0d144dd7da52a927a' },
  type: 1,
  transactions: [
    {
      timeStamp: 708650,
      amount: 10000000,
      signature:
        '8a3a7acd2c8f6d12cc0ec16211ca3bbca7550c443676f35be9ff6bd59eaccabf96af6dfaa7b9c0f0f6f088dcdbd986b4ba6490f5d034cca192593f4e0138cb03',
      fee: 10000000,
      recipient: 'NALICELGU3IVY4DPJKHYLSSVYFFWYS5QPLYEZDJJ',
      type: 257,
      deadline: 709250,
      message: {
        payload: '416c69636520697320646f6e6174696e67203130206e656d206576657279206d696e75746520746f20706f6f7220686172766573746572732e',
        type: 1,
      },
      version: 1744830465,
      signer: '599af9dbc9c36d0cf7d44e4356097d67892aa11e13c7669019f6b42d144a975b',
    },
  ],
  version: 1744830465,
  signer: 'd712788c5d16f7c72dda00c25a7e18f02b992d26d26fc196227b6a72fbb20c9c',
  height: 10000,
};

const BLOCK_1989616 = {
  timeStamp: 120430506,
  signature:
    'd84844cf4cd19f9e0a85c43e94939acf615f81893570617bf15df923d72bb8c158e532446f4a7e7a484a2cd03d2668a69ae130e3b8ae177b6b12353380d66805',
  prevBlockHash: { data: '912c11ff34205a82871acdd81d5f8a155251c264eb36ec39f7561fd39c16637f' },
  type: 1,
  transactions: [
    transferIn1989616(
      120430442,
      50000,
      '94286f7c185f66d9f87d150b78d1398dbb0d308128f332dbfd8b2c6b341a54ce4652a1d67608ae297f9d6204ad6f96528ecd9fd6d2d5b8a55fd512ae0e432a0c',
      'NDBZRFWARBAQSX5GDBRU2QJ7QTCPVRI5WV6RY74A',
      120516842,
    ),
    transferIn1989616(
      120430456,
      50000,
      'f129388abf27e8476004f01f9defb901b8f68923f540bf96fdfaccdddd62a0063c3ee5e673c3d0a684d4e943b52c8424fbc6621111e7436302eded0872ca4e05',
      'NB4GJ3ZOLUBMQSTDTQKQUQQJ6XR4XMRAEZJLRUY2',
      120516856,
    ),
    transferIn1989616(
      120430461,
      1000000,
      'd8f4f3e655290045c015051edf704fa5365006e47127bc5831bda4f3ae6ed18063af9d54d8fdddfefedfb1bb50b69e4107cb4859e84380ae730f8c881a292206',
      'NB5HJP6S2BWEMASR54YKVJJ2FVHCGPHNWRP5FZRA',
      120516861,
      2002250,
    ),
    transferIn1989616(
      120430461,
      1000000,
      '3469f01cda1b8b3e603e9d138ffa672cd60ded50e3f94a7f7f97a9334de6f2bf0f72912e5558226b0a566673fca529de54ba8e36aa574f8aab468e4dc36e6403',
      'NAX73DHUTZNKKNAVYLPWB6735YDHRFFR7HNPIP5F',
      120516861,
      5005250,
    ),
  ],
  version: 1744830465,
  signer: '5fbbf7e396d90ac2b3d3ff91d6f84561337428a69dc825edc6027a7dc46c8843',
  height: 1989616,
};

export type NisBlockJson = typeof BLOCK_1989616;
export const block10000 = (): NisBlockJson => copy(BLOCK_10000);
export const block1989616 = (): NisBlockJson => copy(BLOCK_1989616);
