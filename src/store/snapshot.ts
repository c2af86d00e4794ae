/**
 * A store opened without touching its directory (evidence media, a write-protected copy): LevelDB
 * writes on every open — a new LOG, the LOCK file, and replaying the write-ahead log into a new table
 * and MANIFEST — so a store cannot be opened in place and stay byte-for-byte unchanged. Instead its
 * files are laid into a private temporary directory: the table files (`*.ldb`, `*.sst`), which LevelDB
 * never changes once written and the bulk of a store, and the taint index files beside them (`*.tti`, never changed
 * once in place: src/screen/index-file.ts), as symbolic links to the originals (read only); CURRENT, the MANIFEST and
 * the write-ahead logs, which are small, as copies; an index file still being written (`*.partial`) not at all. LevelDB then opens that
 * directory, and whatever it writes (or deletes: only links) lands there. The temporary directory is
 * removed when the store closes.
 *
 * The copy is taken as the files are: a store another process is writing at that moment is read as
 * of its last complete write (LevelDB drops a torn log tail on recovery).
 */
import { copyFile, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const LINKED = /^\d+\.(ldb|sst)$|\.tti$/;
const SKIP = /^(LOCK|LOG|LOG\.old)$|\.partial$/;

export interface StoreSnapshot {
  dir: string;
  remove: () => Promise<void>;
}

export async function snapshotStore(dir: string): Promise<StoreSnapshot> {
  const source = resolve(dir);
  const names = await readdir(source);
  const into = await mkdtemp(join(tmpdir(), 'tainttrace-ro-'));
  const remove = () => rm(into, { recursive: true, force: true });
  try {
    await Promise.all(
      names
        .filter((n) => !SKIP.test(n))
        .map((n) => (LINKED.test(n) ? symlink(join(source, n), join(into, n)) : copyFile(join(source, n), join(into, n)))),
    );
  } catch (err) {
    await remove();
    throw err;
  }
  return { dir: into, remove };
}
