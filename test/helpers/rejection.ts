import { AppError } from '../../src/core/errors.js';

/** The AppError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
