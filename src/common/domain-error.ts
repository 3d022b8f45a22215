import { HttpStatus } from '@nestjs/common';

/** Codes are UPPER_SNAKE (`API_KEY`), whatever words they are made from ("api key"). */
export function codeOf(words: string): string {
  return words.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Every error the service means to return. `code` is a stable string clients can branch on;
 * the global filter turns it into application/problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }

  static notFound(what: string, ref: string): DomainError {
    return new DomainError(HttpStatus.NOT_FOUND, `${codeOf(what)}_NOT_FOUND`, `No ${what} ${JSON.stringify(ref)} is visible to you`);
  }

  static validation(errors: FieldError[], message = 'The request is not valid'): DomainError {
    return new DomainError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, errors);
  }

  static badRequest(code: string, message: string, errors?: FieldError[]): DomainError {
    return new DomainError(HttpStatus.BAD_REQUEST, code, message, errors);
  }

  static conflict(code: string, message: string): DomainError {
    return new DomainError(HttpStatus.CONFLICT, code, message);
  }
}
