/** Bounded list of recent warnings shown by `outloop status`, de-duplicated by text. */
export class Warnings {
  private readonly items = new Map<string, string>();
  constructor(private readonly max = 50) {}

  add(text: string): void {
    this.items.delete(text);
    this.items.set(text, new Date().toISOString());
    if (this.items.size > this.max) {
      const first = this.items.keys().next().value;
      if (first !== undefined) this.items.delete(first);
    }
  }

  list(): string[] {
    return [...this.items.entries()].map(([text, at]) => `${at} ${text}`);
  }
}
