/**
 * @file Handlers for the gateway's events after the session starts: history, messages, typing,
 * handoff state, feedback requests and errors.
 */

import { openWidget, updateLauncherBadge } from './dialog.js';
import { renderFeedbackForm } from './feedback.js';
import { updateFormErrors } from './forms.js';
import { setAgent, updateHandoff, updateHeaderStatus } from './handoff.js';
import { updateTyping } from './log.js';
import {
  isResidentMessage,
  markSeen,
  removeOldQuickReplies,
  renderMessage,
  renderNote,
  seenId,
  senderName,
} from './messages.js';
import { dom, state } from './state.js';

/**
 * Handles history after a resumed session. Messages already on screen are skipped, so a
 * reconnection in the same page adds only what was missed.
 * @param {{messages: object[]}} data
 */
export function handleHistory(data) {
  const messages = data && Array.isArray(data.messages) ? data.messages : [];
  messages.forEach(function (message) {
    if (!message || typeof message !== 'object') {
      return;
    }
    if (isResidentMessage(message) && !seenId(message)) {
      const index = state.pendingOwnTexts.indexOf(String(message.text || ''));
      if (index !== -1) {
        state.pendingOwnTexts.splice(index, 1);
        markSeen(message);
        return;
      }
    }
    renderMessage(message);
  });
  removeOldQuickReplies(!['with_agent', 'closed'].includes(state.handoffState));
  restoreLastAgent(messages);
  if (state.restoreOpenPending) {
    restoreOpen();
  }
}

/**
 * Reopens the dialog after a reload or page change, without moving focus.
 */
export function restoreOpen() {
  window.clearTimeout(state.restoreTimer);
  if (!state.restoreOpenPending) {
    return;
  }
  state.restoreOpenPending = false;
  if (!state.open) {
    openWidget({ focus: false });
  }
}

/**
 * Finds the adviser's name from history when the stored one is missing after a reload.
 * @param {object[]} messages
 */
function restoreLastAgent(messages) {
  if (state.handoffState !== 'with_agent' || (state.agent && state.agent.first_name)) {
    return;
  }
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index] && messages[index].sender === 'agent' && messages[index].agent) {
      setAgent(messages[index].agent);
      updateHeaderStatus();
      return;
    }
  }
}

/**
 * Handles one new message from the bot, an adviser or the gateway.
 * @param {object} message
 */
export function handleMessage(message) {
  if (!message || typeof message !== 'object') {
    return;
  }
  updateTyping(false);
  const $message = renderMessage(message);
  if ($message && !state.open) {
    state.unread += 1;
    updateLauncherBadge();
    dom.$announcer.textContent = 'New message from ' + senderName(message) + '. Open the chat to read it.';
  }
}

/**
 * Handles the typing indicator event.
 * @param {{on: boolean}} data
 */
export function handleTyping(data) {
  updateTyping(Boolean(data && data.on));
}

/**
 * Handles a change of handoff state from the gateway.
 * @param {object} data
 */
export function handleHandoffState(data) {
  updateHandoff(data || {});
}

/**
 * Handles the gateway's request for feedback after an adviser closes the chat.
 */
export function handleFeedbackRequest() {
  renderNote('There is a short feedback form below the conversation.');
  renderFeedbackForm();
}

/**
 * Shows an error event from the gateway in the conversation.
 * @param {{code: string, message: string}} data
 */
export function handleServerError(data) {
  const code = data && data.code ? String(data.code) : 'unknown';
  const text = data && data.message ? String(data.message) : 'Something went wrong with the chat. Please try again.';
  console.warn('Council assistant: gateway error ' + code);
  if (data && data.field && showFieldError(String(data.field), text)) {
    return;
  }
  renderNote(text, { error: true });
}

/**
 * Shows a gateway validation error next to the field it names, in the open panel form.
 * @param {string} field the gateway's field name, for example phone
 * @param {string} text the error message
 * @returns {boolean} false when no open form has that field
 */
function showFieldError(field, text) {
  const ids = { name: 'ca-lm-name', phone: 'ca-lm-phone', email: 'ca-lm-email', message: 'ca-lm-message', consent: 'ca-lm-consent', rating: 'ca-fb-rating', comment: 'ca-fb-comment' };
  const $form = dom.$panel.querySelector('form');
  const id = ids[field];
  if (!$form || !id || !$form.querySelector('#' + id)) {
    return false;
  }
  $form.removeAttribute('data-pending');
  updateFormErrors($form, $form.querySelector('.ca-error-summary'), [{ id: id, message: text }]);
  return true;
}
