/**
 * @file The message form: sending on Enter, the length check, the error message and the counter.
 */

import { sendEvent } from './connection.js';
import { COUNTER_ANNOUNCE_FROM, MAX_MESSAGE_LENGTH } from './constants.js';
import { createElement } from './elements.js';
import { countCharacters, formatNumber } from './format.js';
import { renderOwnMessage } from './messages.js';
import { dom, state } from './state.js';

/**
 * Handles the message form: checks the text, sends it and shows it.
 * @param {SubmitEvent} event
 */
export function handleComposerSubmit(event) {
  event.preventDefault();
  const text = dom.$input.value.trim();
  if (!text) {
    updateInputError('Type a message before you press Send.');
    dom.$input.focus();
    return;
  }
  if (countCharacters(text) > MAX_MESSAGE_LENGTH) {
    updateInputError('Your message must be ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters or fewer. Make it shorter, or send it in parts.');
    dom.$input.focus();
    return;
  }
  if (!sendEvent('user_message', { text: text })) {
    updateInputError('You are not connected, so your message was not sent. Try again when the chat has reconnected.');
    return;
  }
  updateInputError(null);
  renderOwnMessage(text);
  dom.$input.value = '';
  updateCounter(false);
  dom.$input.focus();
}

/**
 * Sends the message on Enter. Shift and Enter (or Enter during an IME composition) adds a new line.
 * @param {KeyboardEvent} event
 */
export function handleInputKeydown(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    dom.$composer.requestSubmit();
  }
}

/**
 * Updates the counter as the resident types.
 */
export function handleInputChange() {
  updateCounter(true);
  if (dom.$input.getAttribute('aria-invalid') === 'true' && countCharacters(dom.$input.value) <= MAX_MESSAGE_LENGTH && dom.$input.value.trim()) {
    updateInputError(null);
  }
}

/**
 * Shows or clears the error message above the input.
 * @param {string|null} message
 */
function updateInputError(message) {
  if (!message) {
    dom.$inputError.hidden = true;
    dom.$inputError.textContent = '';
    dom.$input.removeAttribute('aria-invalid');
    dom.$input.setAttribute('aria-describedby', 'ca-input-hint ca-counter');
    return;
  }
  dom.$inputError.hidden = false;
  dom.$inputError.textContent = '';
  dom.$inputError.append(createElement('span', { class: 'ca-visually-hidden', text: 'Error: ' }), message);
  dom.$input.setAttribute('aria-invalid', 'true');
  dom.$input.setAttribute('aria-describedby', 'ca-input-error ca-input-hint ca-counter');
}

/**
 * Updates the visible counter, and near the limit tells screen readers once typing pauses.
 * @param {boolean} announce send the count to the live region after a pause
 */
export function updateCounter(announce) {
  const remaining = MAX_MESSAGE_LENGTH - countCharacters(dom.$input.value);
  let text;
  if (remaining >= 0) {
    text = 'You have ' + formatNumber(remaining) + (remaining === 1 ? ' character' : ' characters') + ' left';
  } else {
    const over = -remaining;
    text = 'You have ' + formatNumber(over) + (over === 1 ? ' character' : ' characters') + ' too many';
  }
  dom.$counter.textContent = text;
  dom.$counter.classList.toggle('ca-counter--over', remaining < 0);
  window.clearTimeout(state.counterTimer);
  if (announce && remaining <= COUNTER_ANNOUNCE_FROM) {
    state.counterTimer = window.setTimeout(function () {
      dom.$counterLive.textContent = text;
    }, 1000);
  }
}
