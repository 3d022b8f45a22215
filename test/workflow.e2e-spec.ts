import { Actors, startOidc, TestOidc, TestUser } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

/** Working days after today, counted independently of the implementation. */
function workingDaysFromToday(n: number): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  while (n > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) n--;
  }
  return d.toISOString().slice(0, 10);
}

describe(`reviews, transfers, claims and history (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  let actors: Actors;
  let editor: TestUser; // editor of OWN
  let ownViewer: TestUser;
  let reviewer: TestUser; // editor of REV (designated reviewer organisation)
  let receiverAdmin: TestUser; // admin of RECV
  let receiverEditor: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: { ...oidc.env, REVIEW_WORKING_DAYS: '7' } });
    actors = new Actors(t, oidc);
    await actors.org('OWN', 'Owner Agency');
    await actors.org('REV', 'Data Protection Inspectorate');
    await actors.org('RECV', 'Receiving Agency');
    editor = await actors.user('editor', { orgs: { OWN: 'editor' } });
    ownViewer = await actors.user('ownviewer', { orgs: { OWN: 'viewer' } });
    reviewer = await actors.user('reviewer', { orgs: { REV: 'editor' } });
    receiverAdmin = await actors.user('recvadmin', { orgs: { RECV: 'admin' } });
    receiverEditor = await actors.user('recveditor', { orgs: { RECV: 'editor' } });
    coordinator = await actors.user('coordinator', { globalRole: 'coordinator' });
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  const as = (u: TestUser | undefined, method: 'get' | 'post' | 'patch', url: string) => {
    const r = t.http[method](url);
    return u ? r.set('authorization', u.auth) : r;
  };
  const create = async (name: string, kind = 'datasets', owner = 'OWN') => {
    const res = await as(editor, 'post', `/api/v1/${kind}`).send({ name, owner });
    expect(res.status).toBe(201);
    return { code: res.body.code as string, etag: res.headers.etag as string };
  };
  const move = async (u: TestUser, kind: string, code: string, action: string, etag: string, comment?: string) => {
    const res = await as(u, 'post', `/api/v1/${kind}/${code}/transitions/${action}`).set('if-match', etag).send(comment ? { comment } : {});
    return res;
  };

  describe('review before publication', () => {
    it('submitting opens a review with a deadline in working days; coordinators see it waiting for them', async () => {
      const e = await create('Population register');
      const submitted = await move(editor, 'datasets', e.code, 'submit', e.etag, 'please review');
      expect(submitted.status).toBe(200);
      expect(submitted.body.lifecycleStatus).toBe('in_review');
      const waiting = await as(coordinator, 'get', '/api/v1/reviews?assigned=me');
      const review = waiting.body.items.find((r: { entry: { code: string } }) => r.entry.code === e.code);
      expect(review).toMatchObject({ status: 'open', deadline: workingDaysFromToday(7), overdue: false, reviewers: [], entry: { kind: 'dataset', lifecycleStatus: 'in_review' } });
      // Nothing is waiting for the owner's editor, but the owner sees its reviews.
      expect((await as(editor, 'get', '/api/v1/reviews?assigned=me')).body.total).toBe(0);
      expect((await as(editor, 'get', '/api/v1/reviews')).body.items.map((r: { id: string }) => r.id)).toContain(review.id);
      expectProblem(await as(undefined, 'get', '/api/v1/reviews'), 401);
      expectProblem(await as(editor, 'get', '/api/v1/reviews?assigned=someone'), 400);
    });

    it('a designated reviewer organisation sees the entry while in review, records decisions, and can approve', async () => {
      const e = await create('Health register');
      const sub = await move(editor, 'datasets', e.code, 'submit', e.etag);
      // Before being assigned, the reviewer cannot see the draft.
      expect((await as(reviewer, 'get', `/api/v1/datasets/${e.code}`)).status).toBe(404);
      const reviewId = (await as(coordinator, 'get', '/api/v1/reviews?assigned=me')).body.items.find((r: { entry: { code: string } }) => r.entry.code === e.code).id;
      expectProblem(await as(editor, 'post', `/api/v1/reviews/${reviewId}/reviewers`).send({ organisation: 'REV' }), 403);
      expectProblem(await as(coordinator, 'post', `/api/v1/reviews/${reviewId}/reviewers`).send({ organisation: 'OWN' }), 409, 'REVIEWER_IS_OWNER');
      const assigned = await as(coordinator, 'post', `/api/v1/reviews/${reviewId}/reviewers`).send({ organisation: 'REV' });
      expect(assigned.status).toBe(200);
      expect(assigned.body.reviewers).toEqual(['REV']);
      expect((await as(reviewer, 'get', `/api/v1/datasets/${e.code}`)).status).toBe(200);
      expect((await as(reviewer, 'get', '/api/v1/reviews?assigned=me')).body.items.map((r: { id: string }) => r.id)).toEqual([reviewId]);
      const noted = await as(reviewer, 'post', `/api/v1/reviews/${reviewId}/decisions`).send({ decision: 'not_reviewed', comment: 'outside our remit' });
      expect(noted.status).toBe(200);
      expect(noted.body.decisions).toEqual([expect.objectContaining({ decision: 'not_reviewed', comment: 'outside our remit', organisation: 'REV', by: 'User reviewer' })]);
      // Others cannot decide, and cannot read the review's comments.
      expectProblem(await as(editor, 'post', `/api/v1/reviews/${reviewId}/decisions`).send({ decision: 'approve' }), 403);
      expectProblem(await as(receiverAdmin, 'get', `/api/v1/reviews/${reviewId}`), 404, 'REVIEW_NOT_FOUND');
      expect((await as(ownViewer, 'get', `/api/v1/reviews/${reviewId}`)).body.decisions[0].comment).toBe('outside our remit');
      const approved = await move(reviewer, 'datasets', e.code, 'approve', sub.headers.etag as string, 'fine by us');
      expect(approved.status).toBe(200);
      expect(approved.body.lifecycleStatus).toBe('published');
      expect(approved.body.publishedAt).not.toBeNull();
      const closed = await as(coordinator, 'get', `/api/v1/reviews/${reviewId}`);
      expect(closed.body).toMatchObject({ status: 'closed', outcome: 'approved' });
      expect(closed.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['not_reviewed', 'approve']);
      expect((await as(reviewer, 'get', '/api/v1/reviews?assigned=me')).body.total).toBe(0);
    });

    it('changes requested need a comment, send the entry back to draft, and the comment is never public', async () => {
      const e = await create('Vehicle register');
      let tag = (await move(editor, 'datasets', e.code, 'submit', e.etag, 'first try')).headers.etag as string;
      expectProblem(await move(coordinator, 'datasets', e.code, 'request-changes', tag), 400, 'VALIDATION_FAILED');
      const back = await move(coordinator, 'datasets', e.code, 'request-changes', tag, 'SECRET-REVIEW-NOTE: describe the legal basis');
      expect(back.status).toBe(200);
      expect(back.body.lifecycleStatus).toBe('draft');
      tag = back.headers.etag as string;
      // The owner reads the comment in the history and on the review.
      const ownHistory = await as(ownViewer, 'get', `/api/v1/datasets/${e.code}/history`);
      expect(ownHistory.body.items[0]).toMatchObject({ action: 'request-changes', comment: 'SECRET-REVIEW-NOTE: describe the legal basis' });
      // Fix, resubmit, publish.
      tag = (await as(editor, 'patch', `/api/v1/datasets/${e.code}`).set('if-match', tag).send({ legalBasis: [{ title: 'Traffic Act' }] })).headers.etag as string;
      tag = (await move(editor, 'datasets', e.code, 'submit', tag)).headers.etag as string;
      tag = (await move(coordinator, 'datasets', e.code, 'approve', tag, 'SECRET-REVIEW-NOTE 2')).headers.etag as string;
      const edit = await as(editor, 'patch', `/api/v1/datasets/${e.code}`).set('if-match', tag).send({ description: 'Edited after publication' });
      expect(edit.status).toBe(200);
      const pub = await as(undefined, 'get', `/api/v1/datasets/${e.code}/history`);
      expect(pub.status).toBe(200);
      expect(pub.body.items.map((i: { action: string }) => i.action)).toEqual(['update', 'approve']);
      expect(JSON.stringify(pub.body)).not.toContain('SECRET-REVIEW-NOTE');
      expect(pub.body.items[0].changes).toEqual({ description: { before: '', after: 'Edited after publication' } });
      const all = await as(coordinator, 'get', `/api/v1/datasets/${e.code}/history?limit=2&offset=0`);
      expect(all.body.total).toBe(7);
      expect(all.body.items).toHaveLength(2);
      const page2 = await as(coordinator, 'get', `/api/v1/datasets/${e.code}/history?limit=10&offset=2`);
      expect(page2.body.items.map((i: { action: string }) => i.action)).toEqual(['submit', 'update', 'request-changes', 'submit', 'create']);
    });

    it('a state that forbids a transition answers 409 problem+json with a code; an owner cannot edit while in review', async () => {
      const e = await create('Forbidden moves');
      expectProblem(await move(editor, 'datasets', e.code, 'deprecate', e.etag), 409, 'TRANSITION_NOT_ALLOWED');
      const sub = await move(editor, 'datasets', e.code, 'submit', e.etag);
      expectProblem(await as(editor, 'patch', `/api/v1/datasets/${e.code}`).set('if-match', sub.headers.etag as string).send({ description: 'x' }), 409, 'ENTRY_IN_REVIEW');
      expectProblem(await move(editor, 'datasets', e.code, 'submit', sub.headers.etag as string), 409, 'TRANSITION_NOT_ALLOWED');
      // Found by a new-user check: "You may not approve this dataset: (coordinators and assigned reviewers)".
      const denied = expectProblem(await move(editor, 'datasets', e.code, 'approve', sub.headers.etag as string), 403);
      expect(denied.detail).toBe('You may not approve this dataset: that is for coordinators and assigned reviewers');
      expectProblem(await move(editor, 'datasets', e.code, 'withdraw', e.etag), 412, 'VERSION_MISMATCH');
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${e.code}/transitions/submit`).send({}), 428, 'IF_MATCH_REQUIRED');
      const jump = await as(editor, 'post', `/api/v1/datasets/${e.code}/transitions/jump`).set('if-match', '"1"').send({});
      expectFieldError(jump, 'action');
      expect(jump.body.errors[0].message).toBe('action must be one of submit, withdraw, approve, request-changes, deprecate, reinstate, retire, send-back');
      const decision = await as(editor, 'post', `/api/v1/datasets/${e.code}/transfer/maybe`).set('if-match', '"1"').send({});
      expectFieldError(decision, 'decision');
      expect(decision.body.errors[0].message).toBe('decision must be one of accept, decline, cancel');
    });

    it('a stale If-Match is 412 before any state rule: whoever read an older version learns that first', async () => {
      const e = await create('Stale and moved');
      const sub = await move(editor, 'datasets', e.code, 'submit', e.etag);
      expect(sub.status).toBe(200);
      // Each of these would be a 409 on the current version (in review), but the caller read version 1.
      expectProblem(await move(editor, 'datasets', e.code, 'submit', e.etag), 412, 'VERSION_MISMATCH');
      expectProblem(await as(editor, 'patch', `/api/v1/datasets/${e.code}`).set('if-match', e.etag).send({ description: 'x' }), 412, 'VERSION_MISMATCH');
      expectProblem(await t.http.delete(`/api/v1/datasets/${e.code}`).set('authorization', editor.auth).set('if-match', e.etag), 412, 'VERSION_MISMATCH');
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${e.code}/transfer/cancel`).set('if-match', e.etag).send({}), 412, 'VERSION_MISMATCH');
      // A weak ETag of the current version does not match either (strong comparison).
      expectProblem(await move(coordinator, 'datasets', e.code, 'approve', `W/${sub.headers.etag}`), 412, 'IF_MATCH_WEAK');
      const got = await as(editor, 'get', `/api/v1/datasets/${e.code}`);
      expect(got.body).toMatchObject({ lifecycleStatus: 'in_review', version: 2 });
    });

    it('a transition with a body that is not a JSON object is 400 and does not happen', async () => {
      const e = await create('Array body');
      for (const raw of ['[]', '"str"', '123', 'true', 'null']) {
        expectProblem(await as(editor, 'post', `/api/v1/datasets/${e.code}/transitions/submit`).set('if-match', e.etag).set('content-type', 'application/json').send(raw), 400, 'VALIDATION_FAILED');
      }
      expect((await as(editor, 'get', `/api/v1/datasets/${e.code}`)).body).toMatchObject({ lifecycleStatus: 'draft', version: 1 });
    });

    it('the same transitions exist for every kind', async () => {
      for (const kind of ['systems', 'datasets', 'eservices']) {
        const e = await create(`Every kind ${kind}`, kind);
        const sub = await move(editor, kind, e.code, 'submit', e.etag);
        expect(sub.status).toBe(200);
        const pub = await move(coordinator, kind, e.code, 'approve', sub.headers.etag as string);
        expect(pub.body.lifecycleStatus).toBe('published');
        expect((await as(undefined, 'get', `/api/v1/${kind}/${e.code}/history`)).body.total).toBe(1);
      }
    });
  });

  describe('ownership', () => {
    const countsFor = async (code: string) => {
      const list = (await as(coordinator, 'get', `/api/v1/datasets?owner=${code}&limit=1`)).body.total;
      const search = (await as(coordinator, 'get', `/api/v1/search?q=ownershipmark&owner=${code}`)).body;
      return { list, search: search.total, facet: search.facets.owner[code] ?? 0 };
    };

    it('a transfer is requested by the owner, seen by the receiving admin, declined, requested again and accepted: everything moves together', async () => {
      const res = await as(editor, 'post', '/api/v1/datasets').send({ name: 'Moving dataset', owner: 'OWN', description: 'ownershipmark' });
      const code = res.body.code as string;
      let tag = res.headers.etag as string;
      expect((await as(receiverAdmin, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      const before = { own: await countsFor('OWN'), recv: await countsFor('RECV') };
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${code}/transfer`).set('if-match', tag).send({ to: 'OWN' }), 409, 'TRANSFER_TO_OWNER');
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${code}/transfer`).set('if-match', tag).send({ to: 'NOPE' }), 400, 'VALIDATION_FAILED');
      const requested = await as(editor, 'post', `/api/v1/datasets/${code}/transfer`).set('if-match', tag).send({ to: 'RECV', comment: 'you run it now' });
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ kind: 'transfer', status: 'pending', from: { code: 'OWN' }, to: { code: 'RECV' }, comment: 'you run it now' });
      // The receiving admin now sees the draft and the incoming transfer; their editor does not.
      const seen = await as(receiverAdmin, 'get', `/api/v1/datasets/${code}`);
      expect(seen.status).toBe(200);
      expect((await as(receiverEditor, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      expect((await as(receiverAdmin, 'get', '/api/v1/transfers?direction=incoming&status=pending')).body.items.map((i: { entry: { code: string } }) => i.entry.code)).toEqual([code]);
      expect((await as(editor, 'get', '/api/v1/transfers?direction=outgoing')).body.total).toBe(1);
      tag = seen.headers.etag as string;
      // The request's answer carries the entry's new version, the same one a GET now shows.
      expect(requested.headers.etag).toBe(tag);
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${code}/transfer`).set('if-match', tag).send({ to: 'REV' }), 409, 'TRANSFER_ALREADY_PENDING');
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${code}/transfer/accept`).set('if-match', tag).send({}), 403);
      const declined = await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/transfer/decline`).set('if-match', tag).send({ comment: 'not ours' });
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({ status: 'declined', decidedBy: 'User recvadmin' });
      expect((await as(receiverAdmin, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      expectProblem(await as(editor, 'post', `/api/v1/datasets/${code}/transfer/accept`).set('if-match', declined.headers.etag as string).send({}), 409, 'NO_PENDING_TRANSFER');
      tag = declined.headers.etag as string;
      expect((await as(editor, 'post', `/api/v1/datasets/${code}/transfer`).set('if-match', tag).send({ to: 'RECV' })).status).toBe(201);
      tag = (await as(editor, 'get', `/api/v1/datasets/${code}`)).headers.etag as string;
      const accepted = await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/transfer/accept`).set('if-match', tag).send({ comment: 'welcome' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', to: { code: 'RECV' }, decisionComment: 'welcome' });
      expect((await as(receiverAdmin, 'get', `/api/v1/datasets/${code}`)).body.owner.code).toBe('RECV');
      expect(await countsFor('OWN')).toEqual({ list: before.own.list - 1, search: before.own.search - 1, facet: before.own.facet - 1 });
      expect(await countsFor('RECV')).toEqual({ list: before.recv.list + 1, search: before.recv.search + 1, facet: before.recv.facet + 1 });
      // The old owner no longer sees the draft; the new owner's editor does.
      expect((await as(editor, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      expect((await as(receiverEditor, 'get', `/api/v1/datasets/${code}`)).status).toBe(200);
      const history = await as(receiverEditor, 'get', `/api/v1/datasets/${code}/history`);
      expect(history.body.items.map((i: { action: string }) => i.action)).toEqual(['transfer_accepted', 'transfer_requested', 'transfer_declined', 'transfer_requested', 'create']);
      expect(history.body.items[0]).toMatchObject({ comment: 'welcome', changes: { owner: { before: 'OWN', after: 'RECV' } } });
    });

    it('the requester can cancel a pending transfer', async () => {
      const e = await create('Cancelled transfer');
      await as(editor, 'post', `/api/v1/datasets/${e.code}/transfer`).set('if-match', e.etag).send({ to: 'RECV' });
      const tag = (await as(editor, 'get', `/api/v1/datasets/${e.code}`)).headers.etag as string;
      expectProblem(await as(receiverEditor, 'post', `/api/v1/datasets/${e.code}/transfer/cancel`).set('if-match', tag).send({}), 404);
      const cancelled = await as(editor, 'post', `/api/v1/datasets/${e.code}/transfer/cancel`).set('if-match', tag).send({});
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await as(editor, 'get', `/api/v1/datasets/${e.code}`)).body.owner.code).toBe('OWN');
      expectProblem(await as(editor, 'get', `/api/v1/datasets/${e.code}/transfer`), 404, 'TRANSFER_NOT_FOUND');
    });

    it('unclaimed entries are seen by organisation admins, claimed by one, and confirmed by a coordinator', async () => {
      const created = await as(coordinator, 'post', '/api/v1/datasets').send({ name: 'Orphan register' });
      expect(created.status).toBe(201);
      expect(created.body.owner).toBeNull();
      const code = created.body.code as string;
      expect((await as(receiverEditor, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      expect((await as(undefined, 'get', `/api/v1/datasets/${code}`)).status).toBe(404);
      const seen = await as(receiverAdmin, 'get', `/api/v1/datasets/${code}`);
      expect(seen.status).toBe(200);
      expectProblem(await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/claim`).set('if-match', seen.headers.etag as string).send({ organisation: 'OWN' }), 403);
      const claimed = await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/claim`).set('if-match', seen.headers.etag as string).send({ organisation: 'RECV', comment: 'we keep this register' });
      expect(claimed.status).toBe(201);
      expect(claimed.body).toMatchObject({ kind: 'claim', from: null, to: { code: 'RECV' } });
      const tag = (await as(coordinator, 'get', `/api/v1/datasets/${code}`)).headers.etag as string;
      expect(claimed.headers.etag).toBe(tag);
      expectProblem(await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/transfer/accept`).set('if-match', tag).send({}), 403);
      const confirmed = await as(coordinator, 'post', `/api/v1/datasets/${code}/transfer/accept`).set('if-match', tag).send({});
      expect(confirmed.status).toBe(200);
      expect((await as(receiverEditor, 'get', `/api/v1/datasets/${code}`)).body.owner.code).toBe('RECV');
      expectProblem(await as(receiverAdmin, 'post', `/api/v1/datasets/${code}/claim`).set('if-match', confirmed.headers.etag as string).send({ organisation: 'RECV' }), 409, 'ENTRY_NOT_UNCLAIMED');
    });

    it('a coordinator reassigns one entry directly, and many in bulk with a result per entry', async () => {
      const a = await create('Bulk one');
      const b = await create('Bulk two', 'systems');
      const one = await as(coordinator, 'post', `/api/v1/datasets/${a.code}/owner`).set('if-match', a.etag).send({ to: 'REV', comment: 'moved by decree' });
      expect(one.status).toBe(200);
      expect(one.body.owner.code).toBe('REV');
      const bulk = await as(coordinator, 'post', '/api/v1/reassignments').send({ entries: [a.code, b.code, 'DS99999'], to: 'REV' });
      expect(bulk.status).toBe(200);
      expect(bulk.body).toMatchObject({ reassigned: 1, unchanged: 1, failed: 1 });
      expect(bulk.body.results).toEqual([
        expect.objectContaining({ ref: a.code, status: 'unchanged' }),
        expect.objectContaining({ ref: b.code, status: 'reassigned', kind: 'systems' }),
        expect.objectContaining({ ref: 'DS99999', status: 'failed', error: expect.objectContaining({ status: 404 }) }),
      ]);
      expect((await as(coordinator, 'get', `/api/v1/systems/${b.code}`)).body.owner.code).toBe('REV');
      expectProblem(await as(editor, 'post', '/api/v1/reassignments').send({ entries: [a.code], to: 'OWN' }), 403);
    });
  });
});
