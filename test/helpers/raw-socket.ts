import { connect, type Socket } from 'node:net';

/**
 * A raw client: writes bytes as given and reads the daemon's replies as NDJSON lines, so tests
 * can send exactly the malformed input they mean to.
 */
export class RawConnection {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private isClosed = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) !== -1) {
        this.lines.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  static open(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  get hasClosed(): boolean {
    return this.isClosed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Writes and resolves once the bytes are handed to the kernel (or the socket failed). */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(data, () => resolve());
    });
  }

  /** The next line the daemon sent; rejects if the connection closes or nothing comes in time. */
  async nextLine(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.isClosed) throw new Error('connection closed before a line arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async nextJson(timeoutMs?: number): Promise<unknown> {
    return JSON.parse(await this.nextLine(timeoutMs)) as unknown;
  }

  /** Sends one line (a newline is appended) and returns the parsed reply. */
  async call(line: string, timeoutMs?: number): Promise<unknown> {
    await this.write(`${line}\n`);
    return this.nextJson(timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** True when something accepts a connection on the path. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** One request on a fresh connection, closed afterwards. */
export async function rawCall(path: string, line: string): Promise<unknown> {
  const conn = await RawConnection.open(path);
  try {
    return await conn.call(line);
  } finally {
    conn.destroy();
  }
}
