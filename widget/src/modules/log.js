/**
 * @file Scrolling of the message log and the typing indicator.
 */

import { TYPING_TIMEOUT_MS } from './constants.js';
import { dom, state } from './state.js';

/**
 * Tells whether the log is scrolled to (or close to) its end.
 * @returns {boolean}
 */
export function isLogNearEnd() {
  return dom.$log.scrollHeight - dom.$log.scrollTop - dom.$log.clientHeight < 120;
}

/**
 * Records whether the resident has scrolled away from the newest message.
 */
export function handleLogScroll() {
  state.logPinned = isLogNearEnd();
}

/**
 * Keeps the newest message in view when the log changes size.
 */
export function handleLogResize() {
  if (state.logPinned && !dom.$dialog.hidden) {
    dom.$log.scrollTop = dom.$log.scrollHeight;
  }
}

/**
 * Scrolls the log to its newest message, without animation.
 * @param {boolean} onOpen true when the dialog has just opened
 */
export function scrollLogToEnd(onOpen) {
  if (dom.$dialog.hidden) {
    return;
  }
  // A long reply is read from its start: scroll to the end, but never past the first message
  // of the latest reply.
  const endTop = dom.$log.scrollHeight - dom.$log.clientHeight;
  const $anchor = state.replyAnchor && state.replyAnchor.isConnected ? state.replyAnchor : null;
  dom.$log.scrollTop = $anchor ? Math.min(endTop, $anchor.offsetTop - 8) : endTop;
  state.logPinned = dom.$log.scrollTop >= endTop - 1;
  // On short screens the whole dialog scrolls instead of the log.
  const $target = $anchor || dom.$log.lastElementChild;
  if (!onOpen && dom.$dialog.scrollHeight > dom.$dialog.clientHeight && $target) {
    $target.scrollIntoView({ block: $anchor ? 'start' : 'nearest' });
  }
}

/**
 * Shows or hides the typing indicator, naming the adviser while one is connected.
 * @param {boolean} on
 */
export function updateTyping(on) {
  window.clearTimeout(state.typingTimer);
  if (!on) {
    dom.$typing.classList.add('ca-typing--off');
    dom.$typingText.textContent = '';
    return;
  }
  const typistName = state.handoffState === 'with_agent' && state.agent && state.agent.first_name
    ? state.agent.first_name
    : (state.handoffState === 'with_agent' ? 'The adviser' : 'The automated assistant');
  dom.$typingText.textContent = typistName + ' is typing…';
  dom.$typing.classList.remove('ca-typing--off');
  // A lost "typing off" event must not leave the indicator on for ever.
  state.typingTimer = window.setTimeout(function () { updateTyping(false); }, TYPING_TIMEOUT_MS);
}
