import { Actors, startOidc, TestOidc } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

/**
 * The authorization matrix of issue 3: every role × operation × lifecycle state, the expected status,
 * and for reads whether the entry appears in lists, search results, facets and totals.
 */
const STATES = ['draft', 'in_review', 'published', 'deprecated', 'retired'] as const;
type State = (typeof STATES)[number];
const ROLES = ['anonymous', 'viewerA', 'editorA', 'adminA', 'editorB', 'adminB', 'coordinator', 'admin'] as const;
type Role = (typeof ROLES)[number];
const ACTIONS = ['submit', 'withdraw', 'approve', 'request-changes', 'deprecate', 'reinstate', 'retire', 'send-back'] as const;
type Action = (typeof ACTIONS)[number];

// The specification (DESIGN §5, issue 3), written out independently of the implementation.
const FROM: Record<Action, State[]> = {
  submit: ['draft'],
  withdraw: ['in_review'],
  approve: ['in_review'],
  'request-changes': ['in_review'],
  deprecate: ['published'],
  reinstate: ['deprecated'],
  retire: ['deprecated'],
  'send-back': ['published', 'deprecated'],
};
const OWNER_ACTIONS: Action[] = ['submit', 'withdraw', 'deprecate', 'reinstate', 'retire'];
const PUBLIC: State[] = ['published', 'deprecated', 'retired'];
const OWNER_MEMBERS: Role[] = ['viewerA', 'editorA', 'adminA'];
const OWNER_WRITERS: Role[] = ['editorA', 'adminA'];
const GLOBAL: Role[] = ['coordinator', 'admin'];

const sees = (role: Role, state: State) => PUBLIC.includes(state) || OWNER_MEMBERS.includes(role) || GLOBAL.includes(role);

function expectPatch(role: Role, state: State): number {
  if (role === 'anonymous') return 401;
  if (!sees(role, state)) return 404;
  if (GLOBAL.includes(role)) return 200;
  if (!OWNER_WRITERS.includes(role)) return 403;
  return state === 'in_review' || state === 'retired' ? 409 : 200;
}

function expectTransition(role: Role, state: State, action: Action): number {
  if (role === 'anonymous') return 401;
  if (!sees(role, state)) return 404;
  const allowed = GLOBAL.includes(role) || (OWNER_WRITERS.includes(role) && OWNER_ACTIONS.includes(action));
  if (!allowed) return 403;
  return FROM[action].includes(state) ? 200 : 409;
}

function expectTransferRequest(role: Role, state: State): number {
  if (role === 'anonymous') return 401;
  if (!sees(role, state)) return 404;
  return OWNER_WRITERS.includes(role) || GLOBAL.includes(role) ? 201 : 403;
}

function expectTransferAccept(role: Role, state: State): number {
  if (role === 'anonymous') return 401;
  // Admins of the receiving organisation see the entry while the transfer is pending.
  if (!sees(role, state) && role !== 'adminB') return 404;
  return role === 'adminB' || GLOBAL.includes(role) ? 200 : 403;
}

describe(`authorization matrix (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  const auth: Partial<Record<Role, string>> = {};
  /** One entry per state that no successful write touches (cells expected to fail run on these). */
  const shared = {} as Record<State, { code: string; id: string }>;
  let seq = 0;

  const req = (role: Role, method: 'get' | 'post' | 'patch' | 'delete', url: string) => {
    const r = t.http[method](url);
    if (auth[role]) r.set('authorization', auth[role]!);
    return r;
  };
  const etag = async (code: string) => (await t.http.get(`/api/v1/systems/${code}`).set('authorization', t.admin)).headers.etag as string;

  /** A system of MTXA moved to `state` by its editor and a coordinator. */
  async function entryIn(state: State, name = `Matrix fresh ${++seq}`): Promise<{ code: string; id: string }> {
    const created = await req('editorA', 'post', '/api/v1/systems').send({
      name,
      owner: 'MTXA',
      description: 'matrixshared',
      hosting: 'Secret data centre, rack 12',
      technologies: ['PostgreSQL 15'],
      securityLevels: { confidentiality: 'high' },
      contacts: [
        { role: 'functional', email: 'help@mtxa.example.gov' },
        { role: 'technical', name: 'Jaan Tamm', email: 'jaan.tamm@mtxa.example.gov' },
      ],
      links: [
        { type: 'documentation', url: 'https://docs.example.gov/x' },
        { type: 'internal', url: 'https://intranet.mtxa.example.gov/x' },
      ],
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    const path: [Role, Action][] = [];
    const steps: Record<State, [Role, Action][]> = {
      draft: [],
      in_review: [['editorA', 'submit']],
      published: [['editorA', 'submit'], ['coordinator', 'approve']],
      deprecated: [['editorA', 'submit'], ['coordinator', 'approve'], ['editorA', 'deprecate']],
      retired: [['editorA', 'submit'], ['coordinator', 'approve'], ['editorA', 'deprecate'], ['editorA', 'retire']],
    };
    path.push(...steps[state]);
    let tag = created.headers.etag as string;
    for (const [role, action] of path) {
      const res = await req(role, 'post', `/api/v1/systems/${created.body.code}/transitions/${action}`).set('if-match', tag).send({ comment: `${action} for the matrix` });
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
      tag = res.headers.etag as string;
    }
    return { code: created.body.code, id: created.body.id };
  }

  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: oidc.env });
    const actors = new Actors(t, oidc);
    await actors.org('MTXA', 'Owner Agency');
    await actors.org('MTXB', 'Other Agency');
    auth.viewerA = (await actors.user('viewerA', { orgs: { MTXA: 'viewer' } })).auth;
    auth.editorA = (await actors.user('editorA', { orgs: { MTXA: 'editor' } })).auth;
    auth.adminA = (await actors.user('adminA', { orgs: { MTXA: 'admin' } })).auth;
    auth.editorB = (await actors.user('editorB', { orgs: { MTXB: 'editor' } })).auth;
    auth.adminB = (await actors.user('adminB', { orgs: { MTXB: 'admin' } })).auth;
    auth.coordinator = (await actors.user('coordinator', { globalRole: 'coordinator' })).auth;
    auth.admin = (await actors.user('admin', { globalRole: 'admin' })).auth;
    for (const s of STATES) shared[s] = await entryIn(s, `Matrix shared ${s}`);
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  describe('reads (before any other write)', () => {
    it('get by code and by uuid, and history: 200 when the role sees the state, else 404', async () => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        for (const s of STATES) {
          const want = sees(role, s) ? 200 : 404;
          for (const url of [`/api/v1/systems/${shared[s].code}`, `/api/v1/systems/${shared[s].id}`, `/api/v1/systems/${shared[s].code}/history`]) {
            const got = (await req(role, 'get', url)).status;
            if (got !== want) wrong.push(`${role} ${s} GET ${url}: want ${want}, got ${got}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('lists, search results, facets and totals contain exactly the entries the role sees', async () => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        const want = STATES.filter((s) => sees(role, s)).map((s) => shared[s].code).sort();
        const list = await req(role, 'get', '/api/v1/systems?owner=MTXA&limit=100');
        const listed = list.body.items.map((i: { code: string }) => i.code).sort();
        if (JSON.stringify(listed) !== JSON.stringify(want) || list.body.total !== want.length) wrong.push(`${role} list: want ${want}, got ${listed} (total ${list.body.total})`);
        const filtered = await req(role, 'get', '/api/v1/systems?lifecycleStatus=draft&limit=100');
        const wantDrafts = sees(role, 'draft') ? 1 : 0;
        if (filtered.body.total !== wantDrafts) wrong.push(`${role} list of drafts: want ${wantDrafts}, got ${filtered.body.total}`);
        const search = await req(role, 'get', '/api/v1/search?q=matrixshared&limit=100');
        const found = search.body.items.map((i: { code: string }) => i.code).sort();
        if (JSON.stringify(found) !== JSON.stringify(want) || search.body.total !== want.length) wrong.push(`${role} search: want ${want}, got ${found} (total ${search.body.total})`);
        if ((search.body.facets.kind.systems ?? 0) !== want.length) wrong.push(`${role} kind facet: want ${want.length}, got ${search.body.facets.kind.systems}`);
        if ((search.body.facets.owner.MTXA ?? 0) !== want.length) wrong.push(`${role} owner facet: want ${want.length}, got ${search.body.facets.owner.MTXA}`);
      }
      expect(wrong).toEqual([]);
    });

    it('anonymous get, list and search never contain restricted fields; the owner\'s members, reviewers and coordinators see them', async () => {
      const code = shared.published.code;
      const restricted = ['hosting', 'technologies', 'securityLevels', 'Jaan Tamm', 'jaan.tamm@', 'intranet.mtxa'];
      for (const role of ['anonymous', 'editorB', 'adminB'] as Role[]) {
        const bodies = [
          (await req(role, 'get', `/api/v1/systems/${code}`)).text,
          (await req(role, 'get', '/api/v1/systems?owner=MTXA')).text,
          (await req(role, 'get', '/api/v1/search?q=matrixshared')).text,
          (await req(role, 'get', `/api/v1/systems/${code}/history`)).text,
        ];
        for (const body of bodies) for (const word of restricted) expect({ role, leaked: body.includes(word) ? word : null }).toEqual({ role, leaked: null });
        const got = (await req(role, 'get', `/api/v1/systems/${code}`)).body;
        expect(got.contacts).toEqual([expect.objectContaining({ role: 'functional', email: 'help@mtxa.example.gov' })]);
        expect(got.links.map((l: { type: string }) => l.type)).toEqual(['documentation']);
      }
      for (const role of ['viewerA', 'editorA', 'coordinator'] as Role[]) {
        const got = (await req(role, 'get', `/api/v1/systems/${code}`)).body;
        expect(got).toMatchObject({ hosting: 'Secret data centre, rack 12', technologies: ['PostgreSQL 15'], securityLevels: { confidentiality: 'high' } });
        expect(got.contacts).toHaveLength(2);
        expect(got.links).toHaveLength(2);
        const listed = (await req(role, 'get', '/api/v1/systems?owner=MTXA&limit=100')).body.items.find((i: { code: string }) => i.code === code);
        expect(listed.hosting).toBe('Secret data centre, rack 12');
      }
    });

    it('public history starts at the first publication and never shows review comments or actors', async () => {
      const code = shared.published.code;
      const pub = (await t.http.get(`/api/v1/systems/${code}/history`)).body;
      expect(pub.items.map((i: { action: string }) => i.action)).toEqual(['approve']);
      expect(pub.items[0]).toMatchObject({ comment: null, actor: null, changes: { lifecycleStatus: { before: 'in_review', after: 'published' } } });
      const own = (await req('viewerA', 'get', `/api/v1/systems/${code}/history`)).body;
      expect(own.items.map((i: { action: string }) => i.action)).toEqual(['approve', 'submit', 'create']);
      expect(own.items[0].comment).toBe('approve for the matrix');
      expect(own.items[0].actor).toBe('User coordinator');
    });
  });

  describe('writes', () => {
    /** Runs a cell: expected successes on a fresh entry in the state, expected refusals on the shared one (then checks it is unchanged). */
    async function cell(state: State, want: number, run: (e: { code: string; id: string }, tag: string) => Promise<number>): Promise<number> {
      const e = want < 300 ? await entryIn(state) : shared[state];
      const before = await etag(e.code);
      const got = await run(e, before);
      if (want >= 300 && (await etag(e.code)) !== before) return -1;
      return got;
    }

    it('PATCH', async () => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        for (const s of STATES) {
          const want = expectPatch(role, s);
          const got = await cell(s, want, async (e, tag) => (await req(role, 'patch', `/api/v1/systems/${e.code}`).set('if-match', tag).send({ description: `matrixshared patched by ${role}` })).status);
          if (got !== want) wrong.push(`${role} ${s}: want ${want}, got ${got}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it.each(ACTIONS)('transition %s', async (action) => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        for (const s of STATES) {
          const want = expectTransition(role, s, action);
          const got = await cell(s, want, async (e, tag) => (await req(role, 'post', `/api/v1/systems/${e.code}/transitions/${action}`).set('if-match', tag).send({ comment: `${action} by ${role}` })).status);
          if (got !== want) wrong.push(`${role} ${s}: want ${want}, got ${got}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('transfer request', async () => {
      const wrong: string[] = [];
      for (const role of ROLES) {
        for (const s of STATES) {
          const want = expectTransferRequest(role, s);
          const got = await cell(s, want, async (e, tag) => (await req(role, 'post', `/api/v1/systems/${e.code}/transfer`).set('if-match', tag).send({ to: 'MTXB' })).status);
          if (got !== want) wrong.push(`${role} ${s}: want ${want}, got ${got}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('transfer accept', async () => {
      const pendingIn = async (s: State) => {
        const e = await entryIn(s);
        const res = await req('editorA', 'post', `/api/v1/systems/${e.code}/transfer`).set('if-match', await etag(e.code)).send({ to: 'MTXB' });
        if (res.status !== 201) throw new Error(`transfer: ${res.status}`);
        return e;
      };
      const sharedPending = {} as Record<State, { code: string; id: string }>;
      for (const s of STATES) sharedPending[s] = await pendingIn(s);
      const wrong: string[] = [];
      for (const role of ROLES) {
        for (const s of STATES) {
          const want = expectTransferAccept(role, s);
          const e = want === 200 ? await pendingIn(s) : sharedPending[s];
          const tag = await etag(e.code);
          const got = (await req(role, 'post', `/api/v1/systems/${e.code}/transfer/accept`).set('if-match', tag).send({})).status;
          if (got !== want) wrong.push(`${role} ${s}: want ${want}, got ${got}`);
          const owner = (await t.http.get(`/api/v1/systems/${e.code}`).set('authorization', t.admin)).body.owner.code;
          if (owner !== (want === 200 ? 'MTXB' : 'MTXA')) wrong.push(`${role} ${s}: owner is ${owner}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('member management: organisation admins and global roles only', async () => {
      const actors = new Actors(t, oidc);
      const want: Record<Role, number> = { anonymous: 401, viewerA: 403, editorA: 403, adminA: 201, editorB: 403, adminB: 403, coordinator: 201, admin: 201 };
      const wrong: string[] = [];
      for (const role of ROLES) {
        const newcomer = await actors.user(`newcomer-${role}`);
        const got = (await req(role, 'post', '/api/v1/organisations/MTXA/members').send({ user: newcomer.id, role: 'viewer' })).status;
        if (got !== want[role]) wrong.push(`${role}: want ${want[role]}, got ${got}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('another organisation\'s entries', () => {
    it('guessing codes or uuids of drafts and entries in review yields 404 on every endpoint and changes no count', async () => {
      const counts = async () => {
        const list = (await req('editorB', 'get', '/api/v1/systems?limit=1')).body.total;
        const search = (await req('editorB', 'get', '/api/v1/search?q=matrixshared')).body;
        const all = (await t.http.get('/api/v1/systems?limit=1').set('authorization', t.admin)).body.total;
        return { list, search: search.total, facet: search.facets.owner.MTXA ?? 0, all };
      };
      const before = await counts();
      const wrong: string[] = [];
      for (const s of ['draft', 'in_review'] as State[]) {
        for (const ref of [shared[s].code, shared[s].id, shared[s].code.toLowerCase()]) {
          const calls: [string, 'get' | 'post' | 'patch' | 'delete', string, object?][] = [
            ['get', 'get', ''],
            ['history', 'get', '/history'],
            ['transfer', 'get', '/transfer'],
            ['patch', 'patch', '', { name: 'stolen' }],
            ['delete', 'delete', ''],
            ['lifecycle', 'post', '/lifecycle', { status: 'published' }],
            ['transfer request', 'post', '/transfer', { to: 'MTXB' }],
            ['transfer accept', 'post', '/transfer/accept', {}],
            ['claim', 'post', '/claim', { organisation: 'MTXB' }],
            ['reassign', 'post', '/owner', { to: 'MTXB' }],
            ...ACTIONS.map((a) => [a, 'post', `/transitions/${a}`, { comment: 'x' }] as [string, 'post', string, object]),
          ];
          for (const [label, method, suffix, body] of calls) {
            for (const role of ['editorB', 'adminB'] as Role[]) {
              const r = req(role, method, `/api/v1/systems/${ref}${suffix}`).set('if-match', '"1"');
              const res = body ? await r.send(body) : await r;
              if (res.status !== 404) wrong.push(`${role} ${label} ${ref}: ${res.status}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it('an editor of A cannot modify, transition or transfer B\'s entry by any route', async () => {
      const created = await req('editorB', 'post', '/api/v1/systems').send({ name: 'Owned by B', owner: 'MTXB' });
      expect(created.status).toBe(201);
      // Creating for another organisation is refused.
      expect((await req('editorA', 'post', '/api/v1/systems').send({ name: 'Sneaky', owner: 'MTXB' })).status).toBe(403);
      const code = created.body.code;
      let tag = created.headers.etag as string;
      tag = (await req('editorB', 'post', `/api/v1/systems/${code}/transitions/submit`).set('if-match', tag).send({})).headers.etag as string;
      tag = (await req('coordinator', 'post', `/api/v1/systems/${code}/transitions/approve`).set('if-match', tag).send({})).headers.etag as string;
      const attempts: [string, 'post' | 'patch' | 'delete', string, object?][] = [
        ['patch', 'patch', '', { name: 'Taken over' }],
        ['patch owner', 'patch', '', { owner: 'MTXA' }],
        ['delete', 'delete', ''],
        ['lifecycle', 'post', '/lifecycle', { status: 'retired' }],
        ['transfer', 'post', '/transfer', { to: 'MTXA' }],
        ['claim', 'post', '/claim', { organisation: 'MTXA' }],
        ['reassign', 'post', '/owner', { to: 'MTXA' }],
        ...ACTIONS.map((a) => [a, 'post', `/transitions/${a}`, { comment: 'x' }] as [string, 'post', string, object]),
      ];
      const wrong: string[] = [];
      for (const [label, method, suffix, body] of attempts) {
        const r = req('editorA', method, `/api/v1/systems/${code}${suffix}`).set('if-match', tag);
        const res = body ? await r.send(body) : await r;
        if (res.status !== 403) wrong.push(`${label}: ${res.status}`);
      }
      const bulk = await req('editorA', 'post', '/api/v1/reassignments').send({ entries: [code], to: 'MTXA' });
      if (bulk.status !== 403) wrong.push(`bulk reassign: ${bulk.status}`);
      expect(wrong).toEqual([]);
      const after = (await t.http.get(`/api/v1/systems/${code}`)).body;
      expect(after).toMatchObject({ name: 'Owned by B', owner: { code: 'MTXB' }, lifecycleStatus: 'published' });
      expect(`"${after.version}"`).toBe(tag);
    });

    it('an owner cannot hand over an entry by PATCHing its owner', async () => {
      const e = await entryIn('draft');
      const res = await req('editorA', 'patch', `/api/v1/systems/${e.code}`).set('if-match', await etag(e.code)).send({ owner: 'MTXB' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OWNER_CHANGE_NEEDS_TRANSFER');
    });
  });
});
