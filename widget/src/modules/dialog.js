/**
 * @file Opening and closing the dialog, modal mode on small screens, focus and keyboard handling,
 * and the launcher's unread badge.
 */

import { writeStorage } from './config.js';
import { ensureConnection } from './connection.js';
import { FULL_SCREEN_QUERY, STORAGE_KEYS } from './constants.js';
import { formatNumber } from './format.js';
import { scrollLogToEnd } from './log.js';
import { dom, state } from './state.js';

/**
 * Opens the dialog and connects if needed.
 * @param {{focus?: boolean}} [options] focus: move focus to the input (default true)
 */
export function openWidget(options) {
  const moveFocus = !options || options.focus !== false;
  window.clearTimeout(state.restoreTimer);
  state.restoreOpenPending = false;
  state.open = true;
  writeStorage(STORAGE_KEYS.open, '1');
  dom.$dialog.hidden = false;
  dom.$launcher.hidden = true;
  dom.$launcher.setAttribute('aria-expanded', 'true');
  state.unread = 0;
  updateLauncherBadge();
  updateModalMode();
  scrollLogToEnd(true);
  ensureConnection();
  if (moveFocus) {
    dom.$input.focus();
  }
}

/**
 * Closes the dialog and returns focus to the launcher.
 */
export function closeWidget() {
  state.open = false;
  writeStorage(STORAGE_KEYS.open, null);
  dom.$dialog.hidden = true;
  dom.$launcher.hidden = false;
  dom.$launcher.setAttribute('aria-expanded', 'false');
  releaseModal();
  dom.$launcher.focus();
}

/**
 * Makes the dialog modal on small or zoomed screens, where it covers the whole page, and
 * non-modal on wide screens, where the page stays readable beside it.
 */
export function updateModalMode() {
  // NOTE: on wide screens the open panel can still cover a focused page element behind it
  // (WCAG 2.4.11). Nothing here moves such an element into view.
  const fullScreen = window.matchMedia(FULL_SCREEN_QUERY).matches;
  if (!state.open || !fullScreen) {
    releaseModal();
    return;
  }
  if (state.modal) {
    return;
  }
  state.modal = true;
  dom.$dialog.setAttribute('aria-modal', 'true');
  Array.from(document.body.children).forEach(function ($child) {
    if ($child === dom.$root || $child === dom.$printArea || $child.inert || $child.tagName === 'SCRIPT') {
      return;
    }
    $child.inert = true;
    state.inertElements.push($child);
  });
}

/**
 * Ends modal mode: the page behind becomes usable again.
 */
function releaseModal() {
  state.modal = false;
  dom.$dialog.setAttribute('aria-modal', 'false');
  state.inertElements.forEach(function ($element) {
    $element.inert = false;
  });
  state.inertElements = [];
}

/**
 * Handles a click on the launcher.
 */
export function handleLauncherClick() {
  openWidget();
}

/**
 * Handles a click on the Close button.
 */
export function handleCloseClick() {
  closeWidget();
}

/**
 * Handles Escape (close) and Tab (keep focus inside while modal) in the dialog.
 * @param {KeyboardEvent} event
 */
export function handleDialogKeydown(event) {
  if (event.key === 'Escape' && !event.isComposing) {
    event.preventDefault();
    closeWidget();
    return;
  }
  if (event.key !== 'Tab' || !state.modal) {
    return;
  }
  const $focusable = Array.from(dom.$dialog.querySelectorAll(
    'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]'
  )).filter(function ($element) {
    return $element.offsetParent !== null || $element === document.activeElement;
  });
  if ($focusable.length === 0) {
    return;
  }
  const $first = $focusable[0];
  const $last = $focusable[$focusable.length - 1];
  if (event.shiftKey && document.activeElement === $first) {
    event.preventDefault();
    $last.focus();
  } else if (!event.shiftKey && document.activeElement === $last) {
    event.preventDefault();
    $first.focus();
  }
}

/**
 * Updates the launcher's unread badge.
 */
export function updateLauncherBadge() {
  if (state.unread === 0) {
    dom.$launcherBadge.hidden = true;
    dom.$launcherBadge.textContent = '';
    return;
  }
  dom.$launcherBadge.hidden = false;
  dom.$launcherBadge.textContent = state.unread === 1 ? '1 new message' : formatNumber(state.unread) + ' new messages';
}
