'use client';

/**
 * A destructive action in a table row that asks first, in place: the
 * action button turns into a warning with Confirm and Cancel. The table
 * keeps which row is asking, so only one asks at a time.
 */
export function ConfirmInRow({
  subject,
  action,
  busyLabel,
  warning,
  asking,
  busy,
  onAsk,
  onCancel,
  onConfirm,
}: {
  /** What is acted on, read out after the button's label ("Revoke ci-reader"). */
  subject: string;
  /** The verb on the buttons: "Revoke", "Delete"; data-action is its lowercase. */
  action: string;
  busyLabel: string;
  warning: string;
  asking: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const name = action.toLowerCase();
  if (asking) {
    return (
      <span className="tv-confirm" role="group" aria-label={`${action} ${subject}?`}>
        <span>{warning}</span>
        <button type="button" className="tv-button tv-button-danger" onClick={onConfirm} data-action={`confirm-${name}`}>
          {action}
          <span className="tv-visually-hidden"> {subject}</span>
        </button>
        <button type="button" className="tv-button tv-button-quiet" onClick={onCancel} data-action={`cancel-${name}`}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <button type="button" className="tv-button tv-button-quiet" onClick={onAsk} disabled={busy} data-action={name}>
      {busy ? busyLabel : action}
      <span className="tv-visually-hidden"> {subject}</span>
    </button>
  );
}
