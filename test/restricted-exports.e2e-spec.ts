import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

/**
 * DESIGN §5: restricted fields (a system's hosting, technologies and security levels), named people among
 * the contacts and internal links stay with the owner's members, reviewers and coordinators. Public
 * reads and every export (CSV, DCAT-AP) must leave them out.
 */
describe(`restricted fields in public reads and exports (${databaseLabel})`, () => {
  let t: TestApp;
  let code: string;
  const SECRET = {
    hosting: 'Salle serveur B-214, datacentre de Cotonou',
    technology: 'OracleDB-11g-nonpatched',
    person: 'Adjoa Mensah-Restricted',
    personEmail: 'adjoa.mensah@personal.example',
    internalUrl: 'https://intranet.example/runbook-secret',
  };
  const PUBLIC = { mailbox: 'support-fiscal@impots.example', docs: 'https://docs.example/api-fiscale' };

  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'DGI', name: 'Direction générale des impôts' })).status).toBe(201);
    const created = await t.http
      .post('/api/v1/systems')
      .set('authorization', t.admin)
      .send({
        name: 'Système intégré de gestion fiscale',
        owner: 'DGI',
        hosting: SECRET.hosting,
        technologies: [SECRET.technology],
        contacts: [
          { role: 'technical', name: SECRET.person, email: SECRET.personEmail },
          { role: 'support', email: PUBLIC.mailbox },
        ],
        links: [
          { type: 'internal', url: SECRET.internalUrl },
          { type: 'documentation', url: PUBLIC.docs },
        ],
        interfaces: [{ name: 'API fiscale', type: 'REST', baseUrl: 'https://api.impots.example/v1' }],
      });
    expect(created.status).toBe(201);
    code = created.body.code;
    const published = await t.http.post(`/api/v1/systems/${code}/lifecycle`).set('authorization', t.admin).set('if-match', created.headers.etag).send({ status: 'published' });
    expect(published.status).toBe(200);
  });
  afterAll(async () => t?.close());

  const expectNoSecret = (text: string) => {
    for (const s of Object.values(SECRET)) expect(text).not.toContain(s);
  };

  it('anonymous get and list leave them out; the owner side (a coordinator here) sees them', async () => {
    const anonymous = await t.http.get(`/api/v1/systems/${code}`);
    expect(anonymous.status).toBe(200);
    expectNoSecret(JSON.stringify(anonymous.body));
    expect(JSON.stringify(anonymous.body)).toContain(PUBLIC.mailbox);
    expect(JSON.stringify(anonymous.body)).toContain(PUBLIC.docs);
    expectNoSecret(JSON.stringify((await t.http.get('/api/v1/systems')).body));
    expectNoSecret(JSON.stringify((await t.http.get(`/api/v1/search?q=fiscale`)).body));

    const coordinator = await t.http.get(`/api/v1/systems/${code}`).set('authorization', t.admin);
    expect(coordinator.body.hosting).toBe(SECRET.hosting);
    expect(JSON.stringify(coordinator.body)).toContain(SECRET.personEmail);
  });

  it('the CSV export leaves them out and keeps functional mailboxes and public links', async () => {
    const res = await t.http.get('/api/v1/exports/systems.csv');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Système intégré de gestion fiscale');
    expect(res.text).toContain(PUBLIC.mailbox);
    expectNoSecret(res.text);
  });

  it('the DCAT-AP export leaves them out in Turtle and JSON-LD', async () => {
    const ttl = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'text/turtle');
    expect(ttl.status).toBe(200);
    expect(ttl.text).toContain('https://api.impots.example/v1');
    expectNoSecret(ttl.text);
    const jsonld = await t.http.get('/api/v1/exports/dcat-ap').set('accept', 'application/ld+json');
    expect(jsonld.status).toBe(200);
    expectNoSecret(JSON.stringify(jsonld.body));
  });
});
