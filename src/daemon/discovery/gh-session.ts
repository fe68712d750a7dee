import { getErrorMessage } from '../../core/errors.js';
import type { AnalyzeGhStatus } from '../../rpc/protocol.js';
import { GhError, type Gh } from './gh-cli.js';

/** gh for one run: located and checked once, on first need. */
export class GhSession {
  readonly status: AnalyzeGhStatus = { consulted: false, available: false, authenticated: false, error: null };
  private ready: Promise<Gh | null> | null = null;
  /** first failure while filing: the rest of the run uses Markdown */
  broken: string | null = null;

  constructor(
    private readonly make: () => Gh,
    private readonly track: (gh: Gh) => void,
  ) {}

  get(): Promise<Gh | null> {
    this.ready ??= this.open();
    return this.ready;
  }

  private async open(): Promise<Gh | null> {
    this.status.consulted = true;
    let gh: Gh;
    try {
      gh = this.make();
    } catch (e) {
      this.status.error = getErrorMessage(e);
      return null;
    }
    this.status.available = true;
    this.track(gh);
    try {
      await gh.authStatus();
      this.status.authenticated = true;
      return gh;
    } catch (e) {
      if (e instanceof GhError && e.kind === 'missing') this.status.available = false;
      this.status.error = getErrorMessage(e);
      return null;
    }
  }
}
