'use client';

import type { ReactNode } from 'react';
import type { DataAttributes } from '@/shared/data-attributes';

/** Props of {@link ChartOverlayItem}; its `data-*` attributes go on the item. */
export interface ChartOverlayItemProps extends DataAttributes {
  className: string;
  /** What the item says to screen readers, in one sentence. */
  label: string;
  /** The pointer entered the item or keyboard focus arrived on it: show its tooltip. */
  onShow: () => void;
  /** The pointer left or focus moved away: hide the tooltip. */
  onHide: () => void;
  /** The SVG shapes of the item, including any transparent hover target. */
  children: ReactNode;
}

/** Focus events stop at the item: the chart's own keyboard layer would otherwise open its tooltip too. */
const stop = (event: { stopPropagation: () => void }) => event.stopPropagation();

/**
 * One item drawn over a recharts chart that the pointer and the keyboard
 * can reach (a deploy flag, an alert strip): an SVG group announced as an
 * image with its label, focusable with Tab, reporting hover and focus
 * through `onShow` and `onHide` so the chart can show its tooltip.
 */
export function ChartOverlayItem({ className, label, onShow, onHide, children, ...data }: ChartOverlayItemProps) {
  return (
    <g
      className={className}
      {...data}
      role="img"
      tabIndex={0}
      aria-label={label}
      onMouseEnter={onShow}
      onFocus={(event) => {
        stop(event);
        onShow();
      }}
      onMouseLeave={onHide}
      onBlur={(event) => {
        stop(event);
        onHide();
      }}
      onKeyDown={stop}
    >
      {children}
    </g>
  );
}
