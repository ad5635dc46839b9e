/**
 * `data-*` attributes a component passes on to the element it renders
 * (tests and styles select on them), e.g. `data-section="impact"`.
 */
export type DataAttributes = { readonly [name: `data-${string}`]: string | number | boolean | undefined };
