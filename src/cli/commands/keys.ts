/**
 * `tainttrace keys new [--count N] [--name NAME] [--json]` — makes API keys for `serve --api-keys`:
 * 32 random bytes each (src/server/keys.ts), printed one a line (the key file's plain-text form) or
 * as the JSON key file `{ "keys": [ { "key", "name" } ] }`.
 */
import { TracerError } from '../../errors.js';
import { generateKey } from '../../server/index.js';
import { intFlag, parseFlags, writeJson, type Command } from '../args.js';

const USAGE = `
tainttrace keys new [--count N] [--name NAME] [--json]

Makes API keys for tainttrace serve --api-keys FILE: each is ttk_ and 43 base64url characters
(32 random bytes). Prints one key a line (append them to the key file), or with --json a key file
{ "keys": [ { "key", "name" } ] }. The server refuses keys shorter than 32 characters.

  --count N     how many keys (default 1, at most 1000)
  --name NAME   the name of the key (with --count, NAME-1, NAME-2 …), shown in metrics and limits
  --json        print the JSON key file
`;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'make API keys for serve (keys new)',
  usage: USAGE,
  run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { count: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== 'new') {
      throw new TracerError('TRACE_INVALID_OPTION', `expected tainttrace keys new, got ${JSON.stringify(positionals.join(' '))}`);
    }
    const count = intFlag(values.count, 'count', 1, 1, 1000);
    const name = values.name;
    if (name !== undefined && !/^[\w.-]{1,64}$/.test(name))
      throw new TracerError('TRACE_INVALID_OPTION', '--name must be 1 to 64 letters, digits, ".", "-" or "_"');
    const keys = Array.from({ length: count }, (_, i) => ({
      key: generateKey(),
      ...(name === undefined ? {} : { name: count === 1 ? name : `${name}-${i + 1}` }),
    }));
    if (values.json) writeJson(io, { keys });
    else io.stdout.write(keys.map((k) => `${k.key}\n`).join(''));
    return 0;
  },
};
