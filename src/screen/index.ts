/** Deposit screening: the taint index (build, save, load), screenDeposit, the risk rule, JSON views. */
export { buildTaintIndex, isExitAccount } from './index-build.js';
export { saveTaintIndex, loadTaintIndex, type JsonSublevel } from './index-store.js';
export { TaintIndexPacker, type PackerHeader } from './pack.js';
export { TaintIndex, type PackedArrays } from './packed.js';
export {
  TAINT_INDEX_SCHEMA,
  TAINT_INDEX_SCHEMA_V4,
  TAINT_INDEX_SCHEMA_V1,
  TAINT_INDEX_SCHEMA_V2,
  TAINT_INDEX_SCHEMA_V3,
  type TaintIndexAsOf,
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
} from './index-types.js';
export { screenDeposit, screenParsed, type Deposit, type ScreenResult, type PolicyScreen, type LabelRef, type Coverage } from './screen.js';
export {
  classifyRisk,
  resolveRiskRules,
  DEFAULT_RISK_RULES,
  RISK_LEVELS,
  type RiskRules,
  type RiskLevel,
  type ScreenRisk,
  type RiskFacts,
  type RiskVerdict,
} from './risk.js';
export { stateAt, shareNumber, lastEventBefore } from './share.js';
export {
  accountView,
  transferView,
  screenView,
  asOfView,
  indexedAddress,
  type AccountView,
  type TransferView,
  type ScreenView,
  type AsOfView,
} from './views.js';
export { loadTaintIndexFromDir, saveTaintIndexToDir, TAINT_INDEX_SUBLEVEL } from './open-index.js';
export { xemText, asOfJson, accountJson, screenResultJson } from './json.js';
export { AccountBytes } from './account-bytes.js';
