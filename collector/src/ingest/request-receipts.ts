import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BlockRequest } from './outage-spool.js';

/** What the collector answered to a stored request, so a retry of it gets the same answer. */
export interface Receipt {
  /** Records refused one by one in the original's partial success. */
  rejected: number;
  errorMessage: string;
}

export interface RequestReceiptsOptions {
  /** The journal file; created with its folder when missing. */
  file: string;
  /** How long a stored request is remembered. */
  windowMillis: number;
  /** Receipts held at most; the oldest are forgotten first. */
  maxEntries?: number;
  /** A receipt that could not be appended to the journal (disk full); it is still kept in memory. */
  onJournalError?: (err: Error) => void;
  now?: () => number;
}

interface Entry extends Receipt {
  at: number;
}

// About 170 bytes each in memory: 34 MB at most.
const DEFAULT_MAX_ENTRIES = 200_000;

/**
 * The identity of an export request: its signal, the tenant database it is
 * stored in and its decoded body. OTLP exporters retry with the very bytes
 * they sent first, so a retry has the original's identity, while two
 * different exports never share one, nor do the same bytes sent by two
 * tenants (each is stored in its own database).
 */
export function requestIdentity(signal: string, body: Buffer, database: string): string {
  return createHash('sha256').update(signal).update('\0').update(database).update('\0').update(body).digest('base64url');
}

/**
 * Remembers the requests the collector stored, so that a client that sends
 * one again because it never saw the 200 (a timeout, a dropped connection,
 * a crash between the insert and the answer) is answered as before and the
 * records are not stored twice.
 *
 * Each receipt is appended to a journal before the 200 is sent, so it
 * survives a crash of the process (the kernel holds the write; like
 * ClickHouse's own parts it is not fsynced, so a power cut may lose the
 * last few). The journal is rewritten with only the live receipts once it
 * holds twice as many lines as are live.
 */
export class RequestReceipts {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private journalLines = 0;

  constructor(private readonly options: RequestReceiptsOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
    mkdirSync(dirname(options.file), { recursive: true });
    this.load();
  }

  /** Receipts remembered now. */
  get size(): number {
    this.expire();
    return this.entries.size;
  }

  /**
   * The answer a request with this identity got, once it is stored. While
   * the same request is still being written, waits for that first: a
   * client that gave up and resent must not race its own original.
   */
  async find(id: string): Promise<Receipt | undefined> {
    const pending = this.inFlight.get(id);
    if (pending) await pending;
    this.expire();
    const entry = this.entries.get(id);
    return entry && { rejected: entry.rejected, errorMessage: entry.errorMessage };
  }

  /**
   * Remembers a request once `written` resolves, before anyone awaiting
   * `written` after this call resumes; until then a retry of it waits.
   * A write that fails leaves no receipt, so the retry is stored afresh.
   */
  storing(id: string, written: Promise<unknown>, receipt: Receipt): void {
    const settled = written.then(
      () => this.remember(id, receipt),
      () => undefined,
    );
    this.inFlight.set(id, settled);
    void settled.then(() => {
      if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    });
  }

  /**
   * Receipts for the requests whose every block the outage spool recovered
   * from a crash mid-insert: those blocks are replayed, so the requests are
   * stored and a retry of one must not be stored again. A request with a
   * block missing (still in memory when the process died) gets none.
   */
  recover(requests: readonly BlockRequest[]): void {
    const blocksFound = new Map<string, number>();
    for (const request of requests) blocksFound.set(request.id, (blocksFound.get(request.id) ?? 0) + 1);
    for (const request of requests) {
      if (blocksFound.get(request.id) !== request.tables) continue;
      blocksFound.delete(request.id);
      this.remember(request.id, request);
    }
  }

  private remember(id: string, receipt: Receipt): void {
    const entry: Entry = { at: this.now(), rejected: receipt.rejected, errorMessage: receipt.errorMessage };
    this.keepLatest(id, entry);
    this.expire();
    try {
      appendFileSync(this.options.file, journalLine(id, entry));
      this.journalLines += 1;
      if (this.journalLines > 1_000 && this.journalLines > 2 * this.entries.size) this.compact();
    } catch (err) {
      this.options.onJournalError?.(err as Error);
    }
  }

  /** Sets an entry last in the map, which keeps the map in the order receipts were made. */
  private keepLatest(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
  }

  private expire(): void {
    const oldest = this.now() - this.options.windowMillis;
    // The map is in the order receipts were made, so the expired ones lead.
    for (const [id, entry] of this.entries) {
      if (entry.at >= oldest && this.entries.size <= this.maxEntries) break;
      this.entries.delete(id);
    }
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.options.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const lines = text.split('\n');
    // What follows the last newline is empty, or a line a crash cut short.
    lines.pop();
    for (const line of lines) {
      const parsed = parseJournalLine(line);
      if (parsed) this.keepLatest(parsed.id, parsed.entry);
    }
    this.expire();
    this.compact();
  }

  private compact(): void {
    const temporary = `${this.options.file}.tmp`;
    let text = '';
    for (const [id, entry] of this.entries) text += journalLine(id, entry);
    writeFileSync(temporary, text);
    renameSync(temporary, this.options.file);
    this.journalLines = this.entries.size;
  }
}

function journalLine(id: string, entry: Entry): string {
  return `${id}\t${entry.at}\t${entry.rejected}\t${Buffer.from(entry.errorMessage).toString('base64')}\n`;
}

function parseJournalLine(line: string): { id: string; entry: Entry } | undefined {
  const [id, at, rejected, message, extra] = line.split('\t');
  if (!id || at === undefined || rejected === undefined || message === undefined || extra !== undefined) return undefined;
  const entry = { at: Number(at), rejected: Number(rejected), errorMessage: Buffer.from(message, 'base64').toString() };
  if (!Number.isFinite(entry.at) || !Number.isInteger(entry.rejected)) return undefined;
  return { id, entry };
}
