import { NotFoundError, QueryParamError, StoreError } from '../errors.js';

/** Runs a store query; a failure other than a bad parameter or a missing thing means the store is unavailable (503). */
export async function fromStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof QueryParamError || err instanceof StoreError || err instanceof NotFoundError) throw err;
    throw new StoreError(`Query failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
