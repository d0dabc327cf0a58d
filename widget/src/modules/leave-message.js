/**
 * @file The out-of-hours form: name, phone or email, message and consent, checked in the browser
 * and sent as leave_message.
 */

import { config } from './config.js';
import { sendEvent } from './connection.js';
import { EMAIL_PATTERN, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH, UK_PHONE_PATTERN } from './constants.js';
import { createElement } from './elements.js';
import { countCharacters, formatNextOpen, formatNumber } from './format.js';
import { renderField, updateFormErrors } from './forms.js';
import { updatePanel } from './handoff.js';
import { renderNote } from './messages.js';

/**
 * Shows the out-of-hours form: name, phone or email, message and consent.
 * @param {object} data handoff_state data. Its consent_text, when given, is the checkbox label,
 *   because the gateway stores that sentence with the message as the record of consent
 */
export function renderLeaveMessageForm(data) {
  const consentText = data && data.consent_text
    ? String(data.consent_text)
    : 'I agree that ' + config.councilName + ' can keep these details and contact me about my message.';
  const nextOpen = data && data.next_open_text ? String(data.next_open_text) : formatNextOpen(data && data.next_open);
  const $form = createElement('form', { class: 'ca-form', novalidate: true, 'aria-labelledby': 'ca-lm-title' });
  const $summary = createElement('div', { class: 'ca-error-summary', id: 'ca-lm-summary', tabindex: '-1', hidden: true });
  const $consent = createElement('input', { type: 'checkbox', class: 'ca-checkbox__input', id: 'ca-lm-consent', name: 'consent' });
  const $privacy = createElement('a', { href: config.privacyUrl, text: 'privacy notice' });

  $form.append(
    createElement('h3', { class: 'ca-panel__title', id: 'ca-lm-title', text: 'Leave a message for an adviser' }),
    createElement('p', { class: 'ca-panel__hint', text: (nextOpen ? 'Advisers are next available ' + nextOpen + '. ' : '') + 'An adviser will reply by phone or email when we are open.' }),
    $summary,
    renderField({ id: 'ca-lm-name', label: 'Your name', control: createElement('input', { type: 'text', name: 'name', autocomplete: 'name', class: 'ca-text-input' }) }),
    createElement('p', { class: 'ca-panel__hint', id: 'ca-lm-contact-hint', text: 'Give a phone number, an email address or both.' }),
    renderField({ id: 'ca-lm-phone', label: 'Phone number (optional if you give an email)', control: createElement('input', { type: 'tel', name: 'phone', autocomplete: 'tel', class: 'ca-text-input' }) }),
    renderField({ id: 'ca-lm-email', label: 'Email address (optional if you give a phone number)', control: createElement('input', { type: 'email', name: 'email', autocomplete: 'email', spellcheck: 'false', class: 'ca-text-input' }) }),
    renderField({ id: 'ca-lm-message', label: 'Your message for the adviser', hint: 'Up to ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters.', control: createElement('textarea', { name: 'message', rows: '4', class: 'ca-text-input' }) }),
    createElement('div', { class: 'ca-field', id: 'ca-lm-consent-group' }, [
      createElement('p', { class: 'ca-error-message', id: 'ca-lm-consent-error', hidden: true }),
      createElement('div', { class: 'ca-checkbox' }, [
        $consent,
        createElement('label', { class: 'ca-checkbox__label', for: 'ca-lm-consent', text: consentText }),
      ]),
      createElement('p', { class: 'ca-hint' }, ['Read our ', $privacy, ' to find out how we use your details.']),
    ])
  );
  const $submit = createElement('button', { type: 'submit', class: 'ca-button', text: 'Send message' });
  const $dismiss = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'No thanks' });
  $dismiss.addEventListener('click', handleLeaveMessageDismiss);
  $form.append(createElement('div', { class: 'ca-form__actions' }, [$submit, $dismiss]));
  $form.addEventListener('submit', handleLeaveMessageSubmit);
  updatePanel($form);
}

/**
 * Tells whether a phone number is a UK number the council can call back, by the gateway's rule:
 * +44 or 0044 becomes 0, then geographic, 03, mobile, 080 and 084 numbers pass.
 * @param {string} value
 * @returns {boolean}
 */
function isUkPhone(value) {
  let digits = value.trim().replace(/[\s\-().]/g, '');
  let international = false;
  if (digits.startsWith('+44')) {
    digits = digits.slice(3);
    international = true;
  } else if (digits.startsWith('0044')) {
    digits = digits.slice(4);
    international = true;
  }
  if (international && !digits.startsWith('0')) {
    digits = '0' + digits;
  }
  return UK_PHONE_PATTERN.test(digits);
}

/**
 * Checks the out-of-hours form and returns the errors by field id.
 * @param {{name: string, phone: string, email: string, message: string, consent: boolean}} values
 * @returns {{id: string, message: string}[]}
 */
function validateLeaveMessage(values) {
  const errors = [];
  if (!values.name) {
    errors.push({ id: 'ca-lm-name', message: 'Enter your name' });
  } else if (countCharacters(values.name) > MAX_NAME_LENGTH) {
    errors.push({ id: 'ca-lm-name', message: 'Name must be ' + MAX_NAME_LENGTH + ' characters or fewer' });
  }
  if (!values.phone && !values.email) {
    errors.push({ id: 'ca-lm-phone', message: 'Enter a phone number or an email address' });
  }
  if (values.phone && !isUkPhone(values.phone)) {
    errors.push({ id: 'ca-lm-phone', message: 'Enter a UK phone number, like 01743 123456 or 07700 900123' });
  }
  if (values.email && (values.email.length > 254 || !EMAIL_PATTERN.test(values.email))) {
    errors.push({ id: 'ca-lm-email', message: 'Enter an email address in the correct format, like name@example.com' });
  }
  if (!values.message) {
    errors.push({ id: 'ca-lm-message', message: 'Enter your message' });
  } else if (countCharacters(values.message) > MAX_MESSAGE_LENGTH) {
    errors.push({ id: 'ca-lm-message', message: 'Message must be ' + formatNumber(MAX_MESSAGE_LENGTH) + ' characters or fewer' });
  }
  if (!values.consent) {
    errors.push({ id: 'ca-lm-consent', message: 'Tick the box to agree that we can keep your details and contact you' });
  }
  return errors;
}

/**
 * Handles the out-of-hours form: checks it, then sends leave_message.
 * @param {SubmitEvent} event
 */
function handleLeaveMessageSubmit(event) {
  event.preventDefault();
  const $form = event.currentTarget;
  const values = {
    name: $form.elements.name.value.trim(),
    phone: $form.elements.phone.value.trim(),
    email: $form.elements.email.value.trim(),
    message: $form.elements.message.value.trim(),
    consent: $form.elements.consent.checked,
  };
  if ($form.getAttribute('data-pending') === 'true') {
    return;
  }
  const errors = validateLeaveMessage(values);
  const $summary = $form.querySelector('#ca-lm-summary');
  updateFormErrors($form, $summary, errors);
  if (errors.length > 0) {
    return;
  }

  const payload = { name: values.name, message: values.message, consent: true };
  if (values.phone) {
    payload.phone = values.phone;
  }
  if (values.email) {
    payload.email = values.email;
  }
  if (!sendEvent('leave_message', payload)) {
    updateFormErrors($form, $summary, [{ id: 'ca-lm-message', message: 'You are not connected, so your message was not sent. Try again when the chat has reconnected' }]);
    return;
  }
  // The gateway replies with a system message and handoff_state "bot", which closes this
  // form, or with an error event naming the field, which showFieldError puts back here.
  $form.setAttribute('data-pending', 'true');
}

/**
 * Handles "No thanks" on the out-of-hours form.
 */
function handleLeaveMessageDismiss() {
  updatePanel(null);
  renderNote('You chose not to leave a message. You can keep asking the automated assistant questions.');
}
