import { readDemoCatalogue } from '../../src/seed/seed.service';

/**
 * Codes of the demo entries in a freshly seeded database: the seed inserts datasets, then systems,
 * then e-services, each in file order, so the n-th dataset is DS0000n.
 */
export function demoCodes(): { demo: ReturnType<typeof readDemoCatalogue>; code: (key: string) => string; key: (code: string) => string } {
  const demo = readDemoCatalogue();
  const codes = new Map<string, string>();
  const pad = (n: number) => String(n).padStart(5, '0');
  demo.datasets.forEach((e, i) => codes.set(e.key, `DS${pad(i + 1)}`));
  demo.systems.forEach((e, i) => codes.set(e.key, `IS${pad(i + 1)}`));
  demo.eservices.forEach((e, i) => codes.set(e.key, `PS${pad(i + 1)}`));
  const keys = new Map([...codes].map(([k, c]) => [c, k]));
  return {
    demo,
    code: (key) => {
      const c = codes.get(key);
      if (!c) throw new Error(`no demo entry ${key}`);
      return c;
    },
    key: (code) => keys.get(code) ?? code,
  };
}

export const KIND_PATH: Record<string, string> = { IS: 'systems', DS: 'datasets', PS: 'eservices' };
export const pathOf = (code: string) => `/api/v1/${KIND_PATH[code.slice(0, 2)]}/${code}`;
