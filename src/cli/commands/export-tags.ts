/**
 * `tainttrace export-tags --db DIR --case FILE [--policy P] [--min-share X] [--out FILE]` — the tainted
 * accounts of the stored trace as a TagPack (src/jobs/export-tags.ts), plus the accounts taint mosaics
 * marked (src/labels/mosaics.ts): what the NEM Foundation published by hand in 2018, for other tools.
 */
import { writeFileSync } from 'node:fs';
import { TracerError } from '../../errors.js';
import { exportTags } from '../../jobs/index.js';
import { loadCase, mosaicLabels } from '../../labels/index.js';
import { loadTaintIndex, TAINT_INDEX_SUBLEVEL } from '../../screen/index.js';
import { openStore } from '../../store/index.js';
import { POLICIES, type Policy } from '../../taint/index.js';
import { ENGINE_VERSION } from '../../version.js';
import { parseFlags, requireFlag, type Command } from '../args.js';

const USAGE = `
tainttrace export-tags --db DIR --case FILE [--policy P] [--min-share X] [--out FILE]

Writes the accounts the stored trace found tainted as TagPack YAML (the layout labels use): one tag
per account tainted under P whose tainted share of its balance is at least X, with case, policy,
share, hops, taint received and held, and the evidence (transfer hashes from the seed); then the
accounts that taint mosaics from labelled taggers marked (category thief).

  --db DIR        the store directory (after tainttrace trace or follow)
  --case FILE     the case the index was traced for
  --policy P      ${POLICIES.join(', ')} (default haircut)
  --min-share X   0 to 1 (default 0: every account that received taint)
  --out FILE      write there instead of stdout
`;

export const exportTagsCommand: Command = {
  name: 'export-tags',
  summary: 'export the tainted accounts as TagPack YAML',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      db: { type: 'string' },
      case: { type: 'string' },
      policy: { type: 'string' },
      'min-share': { type: 'string' },
      out: { type: 'string' },
    });
    const dir = requireFlag(values.db, 'db');
    const caseFile = requireFlag(values.case, 'case');
    const policy = (values.policy ?? 'haircut') as Policy;
    if (!POLICIES.includes(policy))
      throw new TracerError('TRACE_INVALID_OPTION', `--policy must be one of ${POLICIES.join(', ')}, got ${JSON.stringify(values.policy)}`);
    const minShare = values['min-share'] === undefined ? 0 : Number(values['min-share']);
    if (!/^(0|1)(\.\d+)?$/.test(values['min-share'] ?? '0') || !(minShare >= 0 && minShare <= 1)) {
      throw new TracerError('TRACE_INVALID_OPTION', `--min-share must be a number from 0 to 1, got ${JSON.stringify(values['min-share'])}`);
    }
    const { caseSpec, labels } = await loadCase(caseFile);
    const store = await openStore(dir, { readOnly: true });
    let text: string;
    try {
      const index = await loadTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL));
      if (index.manifest.caseId !== caseSpec.id)
        throw new TracerError('TRACE_INVALID_OPTION', `the stored index is of case ${index.manifest.caseId}, not ${caseSpec.id}`);
      if (!index.policies.includes(policy))
        throw new TracerError('TRACE_INVALID_OPTION', `the stored index has no ${policy} results (traced: ${index.policies.join(', ')})`);
      const marked = mosaicLabels(await store.loadTransfers({ windowTo: caseSpec.windowTo }), labels);
      text = exportTags(index, { policy, minShare, mosaicLabels: marked, engineVersion: ENGINE_VERSION });
    } finally {
      await store.close();
    }
    if (values.out !== undefined) writeFileSync(values.out, text);
    else io.stdout.write(text);
    return 0;
  },
};
