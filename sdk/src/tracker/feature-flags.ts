import type { EventAttributes } from './event-logger.js';

/**
 * The `feature_flag.<key>` = variant attributes of TrackerOptions.featureFlags
 * (docs/semconv.md#feature-flags). Bounded, because each one lands on every
 * event and metric point: the first 10 valid flags are kept (MAX_FEATURE_FLAGS),
 * variants are cut to 64 characters (MAX_FEATURE_FLAG_VARIANT_LENGTH), and a key
 * that does not match FEATURE_FLAG_KEY_PATTERN or an empty variant is left out.
 * The limits are literals, not the `@tunnelvision/semconv` constants, to keep the
 * browser bundle within budget (the bundler inlines literals only); a test
 * checks they agree.
 */
export function featureFlagAttributes(flags: Record<string, string> | undefined): EventAttributes {
  const attributes: EventAttributes = {};
  let count = 0;
  for (const key in flags) {
    const variant = flags[key];
    if (variant && /^(?!(?:key|variant|version|provider_name)$)[\w-]{1,64}$/.test(key) && count++ < 10) {
      attributes['feature_flag.' + key] = String(variant).slice(0, 64);
    }
  }
  return attributes;
}
