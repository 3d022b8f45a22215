import type { Response } from 'supertest';

/**
 * Asserts an application/problem+json error (DESIGN §6): the status, the media type, and the body's
 * `status` and (when given) `code`. Every code is UPPER_SNAKE and its type the same words in kebab case,
 * so every error a test provokes checks that. Returns the body for further checks.
 */
export function expectProblem(res: Response, status: number, code?: string): { status: number; code: string; detail: string; title: string; type: string; errors?: { field: string; message: string }[] } {
  if (res.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body ?? res.text).slice(0, 500)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = typeof res.body === 'object' && res.body && Object.keys(res.body).length ? res.body : JSON.parse(res.text);
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(typeof body.detail).toBe('string');
  if (code) expect(body.code).toBe(code);
  expect(body.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(body.type).toBe(`https://interop-catalogue.example/problems/${body.code.toLowerCase().replace(/_/g, '-')}`);
  return body;
}

/** The fields named by a problem's `errors`. */
export function errorFields(res: Response): string[] {
  const body = typeof res.body === 'object' && res.body && Object.keys(res.body).length ? res.body : JSON.parse(res.text);
  return ((body.errors ?? []) as { field: string }[]).map((e) => e.field);
}

/** A 400 VALIDATION_FAILED problem with an error on `field`. */
export function expectFieldError(res: Response, field: string): void {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  const fields = errorFields(res);
  if (!fields.includes(field)) throw new Error(`expected an error on ${JSON.stringify(field)}, got ${JSON.stringify(res.body.errors)}`);
}
