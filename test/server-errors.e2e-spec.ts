import { OrganisationsService } from '../src/organisations/organisations.service';
import { databaseLabel, startTestApp } from './helpers/test-app';
import { expectProblem } from './problem-expect';

/**
 * "No request in the test suite gets a 5xx": every test app records 5xx answers and fails the file
 * that caused them when it closes. This checks the recorder itself, with a fault injected on purpose.
 */
describe(`5xx recorder of the test apps (${databaseLabel})`, () => {
  it('turns an unexpected error into 500 problem+json without details, and makes closing the app fail', async () => {
    const t = await startTestApp();
    const organisations = t.app.get(OrganisationsService);
    organisations.list = () => {
      throw new Error('injected fault: secret connection string postgres://u:p@db');
    };
    const res = await t.http.get('/api/v1/organisations');
    expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toContain('secret connection string');
    await expect(t.close()).rejects.toThrow(/1 request\(s\) with a 5xx:\nGET \/api\/v1\/organisations → 500/);
  });

  it('a JSON body nested thousands of levels deep is 400 JSON_TOO_DEEP, not a stack overflow (500)', async () => {
    const t = await startTestApp();
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const send = (path: string, json: string) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(json);
    expectProblem(await send('systems', `{"name":"x","tags":${deep}}`), 400, 'JSON_TOO_DEEP');
    expectProblem(await send('organisations', `{"code":"DEEP","name":${deep}}`), 400, 'JSON_TOO_DEEP');
    expect((await t.http.get('/api/v1/organisations')).body.total).toBe(0);
    await t.close(); // fails on any 5xx
  });
});
