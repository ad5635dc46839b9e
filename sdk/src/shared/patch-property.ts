/**
 * Sets `target[key]` to `value` (a wrapper of the host library's method,
 * say) and returns what undoes it: the previous value back, or the property
 * deleted when it was inherited from the prototype, so the object ends as
 * it was. If something replaced our value since, undoing leaves that in
 * place: it wraps ours, and restoring under it would drop its wrapper too.
 */
export function patchProperty<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): () => void {
  const hadOwn = Object.prototype.hasOwnProperty.call(target, key);
  const original = target[key];
  target[key] = value;
  return () => {
    if (target[key] !== value) return;
    if (hadOwn) target[key] = original;
    else delete target[key];
  };
}
