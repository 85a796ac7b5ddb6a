import { HtHilError } from '../../core/errors.ts';

/**
 * An error the HTTP API answers with its status: `{ error, field? }`. Validation errors are 400
 * and name the field (`from`, `limit`, `modemNo`); an unknown modem is 404.
 */
export class ApiError extends HtHilError {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(status === 404 ? 'E_NOT_FOUND' : 'E_INPUT', message);
  }
}
