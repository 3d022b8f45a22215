import { SYSTEM_KIND } from '../systems/system.kind';
import { DomainError } from './domain-error';
import { jsonInputErrors, validatePlain } from './validation';

describe('jsonInputErrors and validatePlain', () => {
  it('walks lists with holes (a mapping that set only tags.1) without throwing', () => {
    const sparse: unknown[] = [];
    sparse[1] = 'b\u0000';
    expect(jsonInputErrors({ tags: sparse })).toEqual([{ field: 'tags.1', message: expect.stringMatching(/without NUL/) }]);
  });

  it('names reserved keys at any depth, but not list indexes', () => {
    expect(jsonInputErrors(JSON.parse('{"a":[{"constructor":1}],"b":{"__proto__":{}},"c":{"toString":"x","ok":"y"}}'))).toEqual([
      { field: 'a.0.constructor', message: expect.stringMatching(/"constructor" is a reserved name/) },
      { field: 'b.__proto__', message: expect.stringMatching(/reserved name/) },
      { field: 'c.toString', message: expect.stringMatching(/reserved name/) },
    ]);
  });

  it.each([
    ['{"name":"x","translations":{"constructor":{"name":"x"}}}', 'translations.constructor'],
    ['{"name":"x","translations":{"en":{"constructor":"x"}}}', 'translations.en.constructor'],
    ['{"name":"x","constructor":"x"}', 'constructor'],
    ['{"name":"x","interfaces":[{"name":"a","type":"REST","hasOwnProperty":1}]}', 'interfaces.0.hasOwnProperty'],
  ])('refuses %s as a validation error naming %s, never a TypeError', (json, field) => {
    let thrown: unknown;
    try {
      validatePlain(SYSTEM_KIND.createDto, JSON.parse(json));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).errors).toEqual([expect.objectContaining({ field })]);
  });
});
