import type { TableRows } from '../store/table-names.js';
import type { AttributeTrim } from './attribute-limits.js';

/** Rows a request produced, and the records it had to reject (partial success). */
export interface MappingResult {
  batches: TableRows[];
  rejected: number;
  /** The first few rejections' reasons, each with the record's path, and any limits applied; '' when none. */
  errorMessage: string;
  /** Attributes dropped and values cut by the attribute limits. */
  trimmed: { attributes: number; values: number };
}

/** The partial-success message: rejections first, then the limits applied to stored records. */
export function responseMessage(rejections: RejectionLog, trim: AttributeTrim): string {
  return [rejections.summary(), trim.warning()].filter((m) => m !== '').join('; ');
}

/** Collects rejections: counts all, keeps the first few messages. */
export class RejectionLog {
  count = 0;
  private readonly messages: string[] = [];

  add(message: string): void {
    this.count += 1;
    if (this.messages.length < 3) this.messages.push(message);
  }

  /** Adds n rejections that share one reason. */
  addMany(n: number, message: string): void {
    if (n <= 0) return;
    this.add(message);
    this.count += n - 1;
  }

  summary(): string {
    if (this.count === 0) return '';
    const more = this.count > this.messages.length ? ` (and ${this.count - this.messages.length} more)` : '';
    return `${this.messages.join('; ')}${more}`;
  }
}
