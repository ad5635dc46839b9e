/**
 * Bounds on one record's attributes, so a producer that sends thousands of
 * attributes or megabyte values costs a bounded amount and still gets its
 * record stored: attributes past the limit are dropped, long values cut,
 * and both counted (never a rejected record, never a failed batch).
 */
export interface AttributeLimits {
  /** Attributes kept per attribute list (record, point, span, resource, scope); the first ones win. */
  maxAttributes: number;
  /** Characters kept of each attribute value. */
  maxValueLength: number;
}

export const DEFAULT_ATTRIBUTE_LIMITS: AttributeLimits = { maxAttributes: 128, maxValueLength: 8_192 };

/** One request's trimming: applies the limits and counts what they took. */
export class AttributeTrim {
  dropped = 0;
  truncated = 0;

  constructor(readonly limits: AttributeLimits = DEFAULT_ATTRIBUTE_LIMITS) {}

  /** Whether one more key fits a list that holds `size` already; counts the ones that do not. */
  admits(size: number): boolean {
    if (size < this.limits.maxAttributes) return true;
    this.dropped += 1;
    return false;
  }

  /** The value, cut to the limit (counted when cut). */
  value(text: string): string {
    if (text.length <= this.limits.maxValueLength) return text;
    this.truncated += 1;
    return text.slice(0, this.limits.maxValueLength);
  }

  /** The warning a producer gets in the partial-success message; '' when nothing was trimmed. */
  warning(): string {
    const parts = [
      ...(this.dropped > 0 ? [`${this.dropped} attribute${this.dropped === 1 ? '' : 's'} past the limit of ${this.limits.maxAttributes} per list dropped`] : []),
      ...(this.truncated > 0 ? [`${this.truncated} attribute value${this.truncated === 1 ? '' : 's'} cut to ${this.limits.maxValueLength} characters`] : []),
    ];
    return parts.length === 0 ? '' : `stored with limits applied: ${parts.join('; ')}`;
  }
}
