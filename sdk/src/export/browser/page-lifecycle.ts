/** What to do as the page's lifecycle moves. */
export interface PageLifecycleHandlers {
  /**
   * The page was hidden (visibilitychange to hidden): the last event mobile
   * browsers reliably fire before they may kill a backgrounded page.
   */
  hidden(): void;
  /** The page is being unloaded or put in the back/forward cache (pagehide). */
  leaving(): void;
  /** The page is shown again (pageshow, visibilitychange to visible). */
  shown(): void;
}

/**
 * Watches `pagehide`, `pageshow` and `visibilitychange`. Closing a tab
 * usually fires visibilitychange to hidden, then pagehide. Does nothing
 * where there is no window or document (Node, workers). Returns a function
 * that removes the listeners.
 */
export function watchPageLifecycle(handlers: PageLifecycleHandlers): () => void {
  const page = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener' | 'document'>>;
  const doc = page.document;
  const onVisibility = () => (doc?.visibilityState === 'hidden' ? handlers.hidden() : handlers.shown());
  const onPageHide = () => handlers.leaving();
  const onPageShow = () => handlers.shown();
  page.addEventListener?.('pagehide', onPageHide);
  page.addEventListener?.('pageshow', onPageShow);
  doc?.addEventListener?.('visibilitychange', onVisibility);
  return () => {
    page.removeEventListener?.('pagehide', onPageHide);
    page.removeEventListener?.('pageshow', onPageShow);
    doc?.removeEventListener?.('visibilitychange', onVisibility);
  };
}
