import { buildDocument } from './import.service';
import { fieldPathProblem, FieldSpec, presetNames, resolveMapping, TableMapping, unknownField, validateMapping } from './mapping';

describe('import mapping field paths', () => {
  it.each(presetNames())('the preset %s validates', (name) => {
    expect(resolveMapping(name).name).toBe(name);
  });

  it('accepts the fields, nested fields and list items of each target', () => {
    for (const [target, path] of [
      ['organisation', 'xroadMember.memberCode'],
      ['system', 'interfaces.0.xroad.serviceCode'],
      ['system', 'contacts.0'],
      ['system', 'translations.en.name'],
      ['dataset', 'distributions.1.downloadUrl'],
      ['dataset', 'temporalCoverage'],
      ['eservice', 'evidence.0.dataset'],
    ] as const) {
      expect(unknownField(target, path)).toBeUndefined();
    }
  });

  it('names the unknown field, where it is, and the fields allowed there', () => {
    expect(unknownField('system', 'interfaces.0.baseURL')).toMatch(/^a system has no field "baseURL" in interfaces\.0; the fields there are .*\bbaseUrl\b/);
    expect(unknownField('eservice', 'homepage')).toMatch(/^an e-service has no field "homepage"; the fields there are .*\bchannels\b/);
    expect(unknownField('organisation', 'description')).toMatch(/^an organisation has no field "description"; the fields there are code, name, acronym/);
  });

  it('refuses a mapping with an unknown field path, naming the table and the path', () => {
    const mapping = { name: 'm', tables: [{ name: 'apis', target: 'system', detect: ['a'], match: ['name'], fields: { name: 'a', 'interfaces.0.baseURL': 'b' } }] };
    expect(() => validateMapping(mapping)).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID', errors: [expect.objectContaining({ field: 'tables.0.fields.interfaces.0.baseURL', message: expect.stringMatching(/^table "apis": a system has no field "baseURL"/) })] }),
    );
  });

  it('refuses a list index with a leading zero, a second spelling of the same item', () => {
    // Found by a new-user check: interfaces.01.name was read as interfaces.1.name.
    for (const path of ['interfaces.01.name', 'tags.00', 'interfaces.1000.name']) {
      const mapping = { name: 'm', tables: [{ name: 'apis', target: 'system', detect: ['a'], match: ['name'], fields: { name: 'a', [path]: 'b' } }] };
      expect(() => validateMapping(mapping)).toThrow(
        expect.objectContaining({ code: 'MAPPING_INVALID', errors: [expect.objectContaining({ field: `tables.0.fields.${path}`, message: expect.stringMatching(/without leading zeros/) })] }),
      );
    }
    for (const path of ['interfaces.0.name', 'interfaces.10.name', 'tags.999']) {
      const mapping = { name: 'm', tables: [{ name: 'apis', target: 'system', detect: ['a'], match: ['name'], fields: { name: 'a', [path]: 'b' } }] };
      expect(validateMapping(mapping)).toBeDefined();
    }
  });

  it('refuses a path below a single value or a list of values, and one that stops at an object or a list of objects for a column of text', () => {
    // Found by a new-user check: these passed the check, then every row failed (name.x answered 500).
    for (const [target, path, reason] of [
      ['system', 'name.x', /^name holds a single value, so it has no field "x"/],
      ['system', 'owner.x', /^owner holds a single value/],
      ['organisation', 'name.x', /^name holds a single value/],
      ['system', 'description.x', /^description holds a single value/],
      ['system', 'notes.x', /^notes holds/],
      ['system', 'hosting.foo', /^hosting holds/],
      ['system', 'personalData.x', /^personalData holds/],
      ['system', 'tags.0.x', /^tags\.0 holds a single value/],
      ['system', 'tags.x', /^tags is a list of values/],
      ['system', 'contacts.0.email.x', /^contacts\.0\.email holds/],
      ['system', 'interfaces.0.endpoints.0.method.x', /^interfaces\.0\.endpoints\.0\.method holds/],
      ['system', 'interfaces.name', /^interfaces is a list: name one of its items \(interfaces\.0\.name\)/],
      ['system', 'source.0', /^source is not a list/],
      ['system', 'interfaces', /^interfaces takes a list of objects, but the text transform gives one value; map columns to the fields of one item \(interfaces\.0\.name\)/],
      ['system', 'contacts', /^contacts takes a list of objects, but the text transform gives one value/],
      ['system', 'interfaces.0', /^interfaces\.0 takes an object, but the text transform gives one value; map columns to its fields \(interfaces\.0\.name\)/],
      ['dataset', 'temporalCoverage', /^temporalCoverage takes an object/],
      ['organisation', 'xroadMember', /^xroadMember takes an object/],
    ] as const) {
      expect([path, fieldPathProblem(target, path, 'column')]).toEqual([path, expect.stringMatching(reason)]);
    }
    expect(fieldPathProblem('system', 'contacts', { column: 'c', transform: 'contact' })).toMatch(/^contacts takes a list of objects, but the contact transform gives an object/);
    expect(fieldPathProblem('system', 'name', { column: 'n', transform: 'list' })).toMatch(/^name takes one value, but the list transform gives a list of values/);
    expect(fieldPathProblem('system', 'tags', { template: '{a}' })).toMatch(/^tags takes a list of values, but the template gives one value; split the cell with the list transform/);
  });

  it('lets a path stop at a value, a list of values, or (for JSON, a contact, a constant of that shape) an object or a list of objects', () => {
    for (const [target, path, spec] of [
      ['system', 'name', 'n'],
      ['system', 'tags', { column: 't', transform: 'list' }],
      ['system', 'tags.0', 't'],
      ['system', 'tags', { value: ['api'] }],
      ['system', 'contacts.0', { column: 'c', transform: 'contact' }],
      ['system', 'contacts', { column: 'c', transform: 'json' }],
      ['system', 'interfaces', { value: [{ name: 'API', type: 'REST' }] }],
      ['system', 'interfaces.0.xroad', { value: { instance: 'EE' } }],
      ['system', 'translations.en.name', 'n'],
      ['system', 'translations', { column: 't', transform: 'json' }],
      ['system', 'operationalStatus', { columns: ['a', 'b'], transform: 'statusFromDates' }],
      ['dataset', 'temporalCoverage', { column: 't', transform: 'json' }],
      ['dataset', 'temporalCoverage.start', { column: 't', transform: 'date' }],
    ] as [TableMapping['target'], string, FieldSpec][]) {
      expect([path, fieldPathProblem(target, path, spec)]).toEqual([path, undefined]);
    }
  });

  it('refuses the 500 mapping of the new-user check (name.x beside name), and transforms Object.prototype has', () => {
    const mapping = { name: 'm', tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', owner: 'provider', 'name.x': 'url', description: { column: 'd', transform: '__proto__' }, notes: { template: 5 } } }] };
    expect(() => validateMapping(mapping)).toThrow(
      expect.objectContaining({
        code: 'MAPPING_INVALID',
        errors: [
          { field: 'tables.0.fields.name.x', message: 'table "apis": name holds a single value, so it has no field "x"' },
          expect.objectContaining({ field: 'tables.0.fields.description.transform' }),
          expect.objectContaining({ field: 'tables.0.fields.notes.template' }),
        ],
      }),
    );
  });

  it('building a row fails the row, never throws, where a JSON cell is not the object another field goes below', () => {
    const table = validateMapping({
      name: 'm',
      tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', interfaces: { column: 'i', transform: 'json' }, 'interfaces.0.name': 'name' } }],
    }).tables[0];
    const built = buildDocument(table, { name: 'GOV.UK Notify', i: '"text"' });
    expect(built.issues).toEqual([expect.objectContaining({ status: 'failed', field: 'interfaces.0.name', message: 'interfaces.0.name cannot be set: interfaces holds a value that is not an object or list' })]);
  });

  it('refuses a field path through a reserved name (translations.constructor.name), which the document would read as inherited', () => {
    const mapping = { name: 'm', tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', 'translations.constructor.name': 'name' } }] };
    expect(() => validateMapping(mapping)).toThrow(expect.objectContaining({ code: 'MAPPING_INVALID', errors: [expect.objectContaining({ field: 'tables.0.fields.translations.constructor.name', message: expect.stringMatching(/reserved name/) })] }));
  });

  it('closes up list items a row leaves empty, in order, in lists the mapping builds and in a JSON cell\'s list', () => {
    const table = validateMapping({
      name: 'm',
      tables: [{ name: 'apis', target: 'system', detect: ['name'], match: ['name'], fields: { name: 'name', 'tags.0': 'a', 'tags.1': 'b', 'tags.2': 'c', 'interfaces.0.endpoints.3.path': 'p', links: { column: 'l', transform: 'json' }, 'links.2.url': 'u' } }],
    }).tables[0];
    const built = buildDocument(table, { name: 'N', a: '', b: 'second', c: 'third', p: '/x', l: '[{"title":"one"}]', u: 'https://u.example' });
    expect(built.issues).toEqual([]);
    expect(built.doc).toEqual({ name: 'N', tags: ['second', 'third'], interfaces: [{ endpoints: [{ path: '/x' }] }], links: [{ title: 'one' }, { url: 'https://u.example' }] });
  });
});
