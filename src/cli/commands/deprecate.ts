import { runReview } from '../review-command.js';

export function run(argv: string[]): Promise<number> {
  return runReview('deprecate', argv);
}
