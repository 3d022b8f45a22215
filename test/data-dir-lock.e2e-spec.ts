import { mkdtempSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockDataDir } from '../src/database/data-dir-lock';

describe('embedded data folder lock', () => {
  it('refuses a second opener with a clear message, and frees the folder on release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-lock-'));
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirInUseError);
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by another process/);
    await release();
    const again = await lockDataDir(dir);
    await again();
  });

  it('takes over a stale lock left by a crashed process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-lock-'));
    const lock = join(dir, 'catalogue.lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const release = await lockDataDir(dir);
    await release();
  });
});
