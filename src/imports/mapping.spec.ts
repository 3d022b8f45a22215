import { presetNames, resolveMapping, unknownField, validateMapping } from './mapping';

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
});
